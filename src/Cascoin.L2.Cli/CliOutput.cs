using System.Text.Encodings.Web;
using System.Text.Json;

namespace Cascoin.L2.Cli;

/// <summary>Prints a reply like bitcoin-cli: strings bare, null as nothing, other JSON indented; errors on stderr.</summary>
internal static class CliOutput
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the reply and returns the exit code: 0, or bitcoin-cli's |error code| (never 0 for an error).</summary>
    public static int Write(RpcHttpReply reply, TextWriter output, TextWriter error)
    {
        if (reply.Body is null)
        {
            if ((int)reply.Status is >= 200 and < 300)
                return 0;
            error.WriteLine($"error: server returned HTTP error {(int)reply.Status}");
            return 1;
        }
        var root = reply.Body.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error.WriteLine("error: expected a JSON object in the reply");
            return 1;
        }
        if (root.TryGetProperty("error", out var rpcError) && rpcError.ValueKind != JsonValueKind.Null)
        {
            var code = rpcError.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? n : -1;
            var message = rpcError.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : rpcError.GetRawText();
            error.WriteLine($"error code: {code}");
            error.WriteLine("error message:");
            error.WriteLine(message);
            var exit = Math.Abs(code) % 256;
            return exit == 0 ? 1 : exit;
        }
        if (!root.TryGetProperty("result", out var result))
        {
            error.WriteLine("error: reply has neither result nor error");
            return 1;
        }
        switch (result.ValueKind)
        {
            case JsonValueKind.Null:
                break;
            case JsonValueKind.String:
                output.WriteLine(result.GetString());
                break;
            default:
                output.WriteLine(Format(result));
                break;
        }
        return 0;
    }

    public static string Format(JsonElement value)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Indented))
            value.WriteTo(writer);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
