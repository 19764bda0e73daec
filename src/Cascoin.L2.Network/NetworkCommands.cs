namespace Cascoin.L2.Network;

/// <summary>The commands the P2P layer answers itself; the layers above may not register them.</summary>
public static class NetworkCommands
{
    public const string Version = "version";
    public const string Verack = "verack";
    public const string Ping = "ping";
    public const string Pong = "pong";
    public const string GetAddr = "getaddr";
    public const string Addr = "addr";

    public static IReadOnlyList<string> All { get; } = [Version, Verack, Ping, Pong, GetAddr, Addr];
}
