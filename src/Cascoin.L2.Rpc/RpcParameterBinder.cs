using System.Text.Json;
using Cascoin.L2.Rpc.WebSockets;

namespace Cascoin.L2.Rpc;

/// <summary>
/// Binds a request's "params" (an array by position or an object by name) to a method's parameters.
/// Types are strict, like bitcoind: a string where a number is expected is an error naming the
/// parameter, never a silent conversion.
/// </summary>
public static class RpcParameterBinder
{
    private static readonly Dictionary<Type, (string Name, Func<JsonElement, object?> Read)> Readers = new()
    {
        [typeof(string)] = ("string", e => e.ValueKind == JsonValueKind.String ? e.GetString() : null),
        [typeof(bool)] = ("boolean", e => e.ValueKind is JsonValueKind.True or JsonValueKind.False ? e.GetBoolean() : null),
        [typeof(int)] = ("number", e => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var v) ? v : null),
        [typeof(long)] = ("number", e => e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var v) ? v : null),
        [typeof(uint)] = ("number", e => e.ValueKind == JsonValueKind.Number && e.TryGetUInt32(out var v) ? v : null),
        [typeof(ulong)] = ("number", e => e.ValueKind == JsonValueKind.Number && e.TryGetUInt64(out var v) ? v : null),
        [typeof(decimal)] = ("number", e => e.ValueKind == JsonValueKind.Number && e.TryGetDecimal(out var v) ? v : null),
        [typeof(double)] = ("number", e => e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var v) ? v : null),
        [typeof(JsonElement)] = ("json", e => e.Clone()),
    };

    /// <summary>Whether a parameter of <paramref name="type"/> comes from the call, not from "params" (a <see cref="RpcConnection"/>).</summary>
    public static bool IsInjected(Type type) => type == typeof(RpcConnection);

    public static bool IsSupported(Type type) => Readers.ContainsKey(Nullable.GetUnderlyingType(type) ?? type);

    public static string JsonTypeName(Type type) =>
        Readers.TryGetValue(Nullable.GetUnderlyingType(type) ?? type, out var reader) ? reader.Name : type.Name;

    /// <summary>
    /// The argument list for <paramref name="method"/>; a <see cref="CancellationToken"/> parameter gets
    /// <paramref name="cancellationToken"/>, an <see cref="RpcConnection"/> one <paramref name="connection"/>.
    /// </summary>
    public static object?[] Bind(RpcMethodDescriptor method, JsonElement? parameters, CancellationToken cancellationToken, RpcConnection? connection = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        var declared = method.Parameters;
        var values = new JsonElement?[declared.Count];
        if (parameters is { } given)
        {
            switch (given.ValueKind)
            {
                case JsonValueKind.Array:
                    var count = given.GetArrayLength();
                    if (count > declared.Count)
                        throw RpcException.InvalidParams($"{method.Name}: too many parameters ({count} given, at most {declared.Count}). Usage: {method.Synopsis}");
                    var i = 0;
                    foreach (var item in given.EnumerateArray())
                        values[i++] = item;
                    break;
                case JsonValueKind.Object:
                    foreach (var property in given.EnumerateObject())
                    {
                        var index = IndexOf(declared, property.Name);
                        if (index < 0)
                            throw RpcException.InvalidParams($"{method.Name}: unknown named parameter '{property.Name}'. Usage: {method.Synopsis}");
                        if (values[index] is not null)
                            throw RpcException.InvalidParams($"{method.Name}: parameter '{property.Name}' given twice");
                        values[index] = property.Value;
                    }
                    break;
                case JsonValueKind.Null:
                case JsonValueKind.Undefined:
                    break;
                default:
                    throw new RpcException(RpcErrorCode.InvalidRequest, "params must be an array or an object");
            }
        }

        var arguments = new object?[method.Method.GetParameters().Length];
        var next = 0;
        foreach (var parameter in method.Method.GetParameters())
        {
            if (parameter.ParameterType == typeof(CancellationToken))
            {
                arguments[parameter.Position] = cancellationToken;
                continue;
            }
            if (IsInjected(parameter.ParameterType))
            {
                arguments[parameter.Position] = connection;
                continue;
            }
            var descriptor = declared[next];
            arguments[parameter.Position] = Convert(method, descriptor, values[next]);
            next++;
        }
        return arguments;
    }

    private static int IndexOf(IReadOnlyList<RpcParameterDescriptor> declared, string name)
    {
        for (var i = 0; i < declared.Count; i++)
        {
            if (string.Equals(declared[i].Name, name, StringComparison.OrdinalIgnoreCase))
                return i;
        }
        return -1;
    }

    private static object? Convert(RpcMethodDescriptor method, RpcParameterDescriptor parameter, JsonElement? value)
    {
        if (value is null || value.Value.ValueKind == JsonValueKind.Null)
        {
            if (!parameter.IsOptional)
                throw RpcException.InvalidParams($"{method.Name}: missing required parameter '{parameter.Name}'. Usage: {method.Synopsis}");
            return parameter.DefaultValue;
        }
        var type = Nullable.GetUnderlyingType(parameter.Type) ?? parameter.Type;
        var (name, read) = Readers[type];
        return read(value.Value) ?? throw RpcException.InvalidParams(
            $"{method.Name}: parameter '{parameter.Name}' must be of type {name}, got {Describe(value.Value, name)}");
    }

    private static string Describe(JsonElement value, string expected) => value.ValueKind switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number when expected == "number" => value.GetRawText() + ", which is out of range or not an integer",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };
}
