using System.Net;
using System.Net.Sockets;

namespace Cascoin.L2.TestKit;

/// <summary>Free loopback TCP ports for test daemons.</summary>
public static class FreePort
{
    private static int _next = 20000 + Environment.ProcessId % 20000;

    /// <summary>A port that was free a moment ago. Ports are handed out in rising order so tests in one run do not collide.</summary>
    public static int Get()
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Interlocked.Increment(ref _next);
            if (port > 60000)
            {
                Interlocked.Exchange(ref _next, 20000);
                continue;
            }
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                listener.Stop();
                return port;
            }
            catch (SocketException)
            {
                // Taken; try the next one.
            }
        }
        throw new InvalidOperationException("no free loopback port found");
    }
}
