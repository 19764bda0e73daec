using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;

namespace Cascoin.L2.Rpc.OpenRpc;

/// <summary>
/// The OpenRPC 1.3 document of the node's methods (rpc.discover), generated from the same
/// declarations as help: names, descriptions, parameters with their JSON types, defaults and whether
/// they are required, the result's schema from the method's return type (as RpcJson writes it), and
/// the errors every call can end in. Checked against the OpenRPC meta-schema by a functional test.
/// </summary>
public static class OpenRpcDocument
{
    public const string Version = "1.3.2";

    private static readonly JsonSchemaExporterOptions ExporterOptions = new()
    {
        TreatNullObliviousAsNonNullable = true,
        // Amounts have their own converter (RpcJson): the exporter cannot see through it, so say what it writes.
        TransformSchemaNode = (context, schema) => context.TypeInfo.Type == typeof(Primitives.Amount)
            ? new JsonObject { ["type"] = "number", ["description"] = "CAS, with 8 decimals" }
            : schema,
    };

    public static JsonObject Build(IEnumerable<RpcMethodDescriptor> methods, string nodeVersion)
    {
        ArgumentNullException.ThrowIfNull(methods);
        return new JsonObject
        {
            ["openrpc"] = Version,
            ["info"] = new JsonObject
            {
                ["title"] = "cascoind JSON-RPC",
                ["description"] = "The Cascoin L2 node's methods over HTTP POST at / and over the WebSocket at /ws (doc/rpc.md). "
                    + "Parameters go by position or by name; amounts are numbers of CAS with 8 decimals; errors use bitcoind's codes.",
                ["version"] = nodeVersion,
                ["license"] = new JsonObject { ["name"] = "MIT" },
            },
            ["methods"] = new JsonArray(methods.Select(Method).ToArray<JsonNode?>()),
        };
    }

    private static JsonObject Method(RpcMethodDescriptor method)
    {
        var result = new JsonObject
        {
            ["name"] = method.Name,
            ["summary"] = Summary(method.Description),
            ["description"] = method.Description,
            ["tags"] = new JsonArray(new JsonObject { ["name"] = method.Category }),
            ["paramStructure"] = "either",
            ["params"] = new JsonArray(method.Parameters.Select(Parameter).ToArray<JsonNode?>()),
            ["result"] = new JsonObject
            {
                ["name"] = "result",
                ["description"] = method.Returns.Length > 0 ? method.Returns : "null",
                ["schema"] = ResultSchema(method.Method.ReturnType),
            },
            ["errors"] = new JsonArray(Errors(method).ToArray<JsonNode?>()),
        };
        return result;
    }

    private static JsonObject Parameter(RpcParameterDescriptor parameter)
    {
        var schema = ParameterSchema(Nullable.GetUnderlyingType(parameter.Type) ?? parameter.Type);
        if (parameter.IsOptional && parameter.DefaultValue is { } value)
            schema["default"] = JsonSerializer.SerializeToNode(value, value.GetType(), RpcJson.Options);
        return new JsonObject
        {
            ["name"] = parameter.Name,
            ["description"] = parameter.Description,
            ["required"] = !parameter.IsOptional,
            ["schema"] = schema,
        };
    }

    /// <summary>The JSON types the binder accepts (<see cref="RpcParameterBinder"/>): integers for the integral types, any JSON for a raw element.</summary>
    private static JsonObject ParameterSchema(Type type) => type switch
    {
        _ when type == typeof(string) => new JsonObject { ["type"] = "string" },
        _ when type == typeof(bool) => new JsonObject { ["type"] = "boolean" },
        _ when type == typeof(int) || type == typeof(long) => new JsonObject { ["type"] = "integer" },
        _ when type == typeof(uint) || type == typeof(ulong) => new JsonObject { ["type"] = "integer", ["minimum"] = 0 },
        _ when type == typeof(decimal) || type == typeof(double) => new JsonObject { ["type"] = "number" },
        _ => new JsonObject(),
    };

    private static JsonNode ResultSchema(Type returned)
    {
        var type = returned.IsGenericType && returned.GetGenericTypeDefinition() == typeof(Task<>) ? returned.GetGenericArguments()[0] : returned;
        if (type == typeof(void) || type == typeof(Task))
            return new JsonObject { ["type"] = "null" };
        // object (a result whose shape depends on a parameter, like a block's verbosity) admits anything.
        return type == typeof(object) ? new JsonObject() : RpcJson.Options.GetJsonSchemaAsNode(type, ExporterOptions);
    }

    /// <summary>What any call can end in, by bitcoind's codes (RpcErrorCode): each method's own failures are in its description.</summary>
    private static IEnumerable<JsonObject> Errors(RpcMethodDescriptor method)
    {
        if (method.Parameters.Count > 0)
            yield return Error(RpcErrorCode.InvalidParams, "a parameter is missing, unknown or of the wrong type");
        if (!method.AllowedInWarmup)
            yield return Error(RpcErrorCode.InWarmup, "the node is still starting");
        yield return Error(RpcErrorCode.MiscError, "too many concurrent calls of this family, a timeout, or the node is stopping");
        yield return Error(RpcErrorCode.InternalError, "a bug in the node (logged)");
    }

    private static JsonObject Error(int code, string message) => new() { ["code"] = code, ["message"] = message };

    private static string Summary(string description)
    {
        var end = description.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? description.TrimEnd('.') : description[..end];
    }
}
