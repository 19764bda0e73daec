using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cascoin.L2.Cli;

/// <summary>Builds the JSON-RPC request from the command line: each argument is JSON if it parses as JSON, else a string.</summary>
internal static class CliRequest
{
    public static byte[] Build(string method, IReadOnlyList<string> arguments, bool named)
    {
        var request = new JsonObject
        {
            ["jsonrpc"] = "1.0",
            ["id"] = "cascoin-cli",
            ["method"] = method,
            ["params"] = named ? NamedParams(arguments) : PositionalParams(arguments),
        };
        return JsonSerializer.SerializeToUtf8Bytes(request);
    }

    private static JsonArray PositionalParams(IReadOnlyList<string> arguments)
    {
        var array = new JsonArray();
        foreach (var argument in arguments)
            array.Add(ParseValue(argument));
        return array;
    }

    private static JsonObject NamedParams(IReadOnlyList<string> arguments)
    {
        var result = new JsonObject();
        foreach (var argument in arguments)
        {
            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
                throw new CliException($"No '=' in named argument '{argument}', this may be because a positional argument was given with -named");
            var name = argument[..equals];
            if (result.ContainsKey(name))
                throw new CliException($"Parameter {name} specified multiple times");
            result[name] = ParseValue(argument[(equals + 1)..]);
        }
        return result;
    }

    /// <summary>"5" → 5, "true" → true, "[1,2]" → array, "\"x\"" → "x", anything else → the string itself.</summary>
    public static JsonNode? ParseValue(string text)
    {
        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}

/// <summary>A CLI usage or connection problem, printed as "error: ..." with exit code 1.</summary>
internal sealed class CliException : Exception
{
    public CliException(string message) : base(message)
    {
    }
}
