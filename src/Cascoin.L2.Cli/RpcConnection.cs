using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Cascoin.L2.Cli;

/// <summary>A JSON-RPC reply as the CLI sees it: the parsed body (or null) and the HTTP status.</summary>
internal sealed record RpcHttpReply(HttpStatusCode Status, JsonDocument? Body);

/// <summary>Sends one request over HTTP POST with basic auth; with -rpcwait, retries until the server answers.</summary>
internal sealed class RpcConnection
{
    private const int InWarmup = -28;

    private readonly Uri _endpoint;
    private readonly Func<string?> _credentials;
    private readonly TimeSpan _requestTimeout;

    public RpcConnection(Uri endpoint, Func<string?> credentials, TimeSpan requestTimeout)
    {
        _endpoint = endpoint;
        _credentials = credentials;
        _requestTimeout = requestTimeout;
    }

    public async Task<RpcHttpReply> SendAsync(byte[] request, bool wait, TimeSpan waitTimeout)
    {
        var deadline = waitTimeout == TimeSpan.Zero ? DateTimeOffset.MaxValue : TimeProvider.System.GetUtcNow() + waitTimeout;
        while (true)
        {
            string? credentials = _credentials();
            if (credentials is null && !wait)
                throw new CliException("Could not locate RPC credentials. No authentication cookie could be found, and RPC password is not set.  See -rpcpassword and -rpccookiefile.");
            try
            {
                if (credentials is not null)
                {
                    var reply = await PostAsync(request, credentials);
                    if (!wait || !IsWarmup(reply))
                        return reply;
                }
            }
            catch (HttpRequestException ex) when (ex.InnerException is SocketException or IOException)
            {
                if (!wait)
                    throw new CliException($"Could not connect to the server {_endpoint.Host}:{_endpoint.Port}\n\nMake sure the cascoind server is running and that you are connecting to the correct RPC port.");
            }
            if (TimeProvider.System.GetUtcNow() >= deadline)
                throw new CliException("timeout on transient error: Could not connect to the server " + _endpoint.Host + ":" + _endpoint.Port);
            await Task.Delay(TimeSpan.FromMilliseconds(250), TimeProvider.System);
        }
    }

    private static bool IsWarmup(RpcHttpReply reply) =>
        reply.Body is { } body
        && body.RootElement.ValueKind == JsonValueKind.Object
        && body.RootElement.TryGetProperty("error", out var error)
        && error.ValueKind == JsonValueKind.Object
        && error.TryGetProperty("code", out var code)
        && code.ValueKind == JsonValueKind.Number
        && code.GetInt32() == InWarmup;

    private async Task<RpcHttpReply> PostAsync(byte[] request, string credentials)
    {
        using var client = new HttpClient { Timeout = _requestTimeout == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : _requestTimeout };
        using var content = new ByteArrayContent(request);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var message = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = content };
        message.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        using var response = await client.SendAsync(message);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
            throw new CliException("Authorization failed: Incorrect rpcuser or rpcpassword");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        try
        {
            return new RpcHttpReply(response.StatusCode, bytes.Length == 0 ? null : JsonDocument.Parse(bytes));
        }
        catch (JsonException)
        {
            throw new CliException($"server returned HTTP error {(int)response.StatusCode}");
        }
    }
}
