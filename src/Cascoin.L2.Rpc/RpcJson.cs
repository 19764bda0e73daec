using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cascoin.L2.Rpc;

/// <summary>How results are written: bitcoind's all-lower-case keys ("bestblockhash"), no nulls dropped.</summary>
public static class RpcJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = new LowerCaseNamingPolicy(),
            DictionaryKeyPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            NumberHandling = JsonNumberHandling.Strict,
            WriteIndented = false,
        };
        options.Converters.Add(new AmountJsonConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Amounts are JSON numbers of CAS with exactly 8 decimals (bitcoind's "1.50000000"), written from the integer, never through a double.</summary>
    private sealed class AmountJsonConverter : JsonConverter<Cascoin.L2.Primitives.Amount>
    {
        public override Cascoin.L2.Primitives.Amount Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Number && Cascoin.L2.Primitives.Amount.TryParse(System.Text.Encoding.UTF8.GetString(reader.ValueSpan), out var amount)
                ? amount
                : throw new JsonException("expected an amount of CAS");

        public override void Write(Utf8JsonWriter writer, Cascoin.L2.Primitives.Amount value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value.ToString(), skipInputValidation: true);
    }

    private sealed class LowerCaseNamingPolicy : JsonNamingPolicy
    {
        public override string ConvertName(string name) => name.ToLowerInvariant();
    }
}
