using System.Text.Json;
using Cascoin.L2.Chain;
using Cascoin.L2.Primitives;
using Cascoin.L2.Primitives.Configuration;

namespace Cascoin.L2.Node.Configuration;

/// <summary>
/// Reads an L2 genesis file (-l2genesis): <c>{"timestamp": ms, "alloc": {"address": {"balance": CAS, "hatscore": n}}}</c>.
/// Every mistake is a <see cref="ConfigurationException"/> naming the file and the entry.
/// </summary>
public static class GenesisFile
{
    public const int MaxBytes = 64 * 1024 * 1024;

    public static GenesisSpec Load(string path, NetworkParameters network)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(network);
        var info = new FileInfo(path);
        if (!info.Exists)
            throw new ConfigurationException($"genesis file {path} not found");
        if (info.Length > MaxBytes)
            throw new ConfigurationException($"genesis file {path} is larger than {MaxBytes / 1024 / 1024} MiB");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException ex)
        {
            throw new ConfigurationException($"genesis file {path} is not JSON: {ex.Message}");
        }
        using (document)
            return Parse(document.RootElement, network, path);
    }

    public static GenesisSpec Parse(JsonElement root, NetworkParameters network, string source)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (root.ValueKind != JsonValueKind.Object)
            throw new ConfigurationException($"{source}: the genesis must be a JSON object");
        var timestamp = DevelopmentChain.GenesisTimestamp;
        if (root.TryGetProperty("timestamp", out var time) && !time.TryGetUInt64(out timestamp))
            throw new ConfigurationException($"{source}: \"timestamp\" must be milliseconds since 1970 (an unsigned integer)");
        if (!root.TryGetProperty("alloc", out var alloc) || alloc.ValueKind != JsonValueKind.Object)
            throw new ConfigurationException($"{source}: \"alloc\" must be an object of address → {{\"balance\": CAS}}");
        var allocations = new List<GenesisAllocation>();
        var seen = new HashSet<Address>();
        var total = Amount.Zero;
        foreach (var entry in alloc.EnumerateObject())
        {
            if (!Address.TryParse(entry.Name, network, out var address))
                throw new ConfigurationException($"{source}: \"{entry.Name}\" is not a {network.Name} address");
            if (!seen.Add(address))
                throw new ConfigurationException($"{source}: {entry.Name} is allocated twice");
            if (entry.Value.ValueKind != JsonValueKind.Object || !entry.Value.TryGetProperty("balance", out var balanceElement)
                || balanceElement.ValueKind is not (JsonValueKind.Number or JsonValueKind.String)
                || !Amount.TryParse(balanceElement.ValueKind == JsonValueKind.Number ? balanceElement.GetRawText() : balanceElement.GetString(), out var balance)
                || !balance.IsMoneyRange)
                throw new ConfigurationException($"{source}: {entry.Name} needs \"balance\": an amount of CAS (0..{Amount.MaxMoney}, at most 8 decimals)");
            byte score = 0;
            if (entry.Value.TryGetProperty("hatscore", out var scoreElement) && (!scoreElement.TryGetByte(out score) || score > 100))
                throw new ConfigurationException($"{source}: {entry.Name}: \"hatscore\" must be 0..100");
            total += balance;
            if (!total.IsMoneyRange)
                throw new ConfigurationException($"{source}: the allocations add up to more than {Amount.MaxMoney} CAS");
            allocations.Add(new GenesisAllocation(address, balance, score));
        }
        return new GenesisSpec(timestamp, allocations);
    }
}
