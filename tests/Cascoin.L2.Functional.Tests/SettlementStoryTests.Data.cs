using System.Diagnostics;
using System.Text.Json;
using Cascoin.L2.DataAvailability.Batches;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Functional.Tests;

/// <summary>The batch data on L1 (issue 13): l2_getbatch reads it back, and Debian's zstd tool decodes its frame to the batch.</summary>
public sealed partial class SettlementStoryTests
{
    /// <summary>Batch <paramref name="index"/> holds <paramref name="withdrawals"/>; its data is one standard zstd frame of the canonical batch.</summary>
    private async Task BatchOnL1Async(ulong index, params SentWithdrawal[] withdrawals)
    {
        var batch = await CliJsonAsync("l2_getbatch", Text(_chainId), Text(index), "true");
        var first = batch.GetProperty("firstblock").GetUInt64();
        var last = batch.GetProperty("lastblock").GetUInt64();
        Assert.Equal((int)(last - first + 1), batch.GetProperty("blockroots").GetArrayLength());
        Assert.Equal(batch.GetProperty("blockroots")[(int)(last - first)].GetString(), batch.GetProperty("stateroot").GetString());
        Assert.Equal(batch.GetProperty("datashards").GetInt32(), batch.GetProperty("parityshards").GetInt32());
        var frame = Convert.FromHexString(batch.GetProperty("data").GetString()!);
        Assert.Equal(batch.GetProperty("compressedbytes").GetInt32(), frame.Length);
        Assert.True(batch.GetProperty("l1bytes").GetInt32() > frame.Length);
        var raw = BatchFrame.Decompress(frame);
        Assert.Equal(batch.GetProperty("rawbytes").GetInt32(), raw.Length);
        var decoded = Batch.Decode(raw);
        Assert.Equal(batch.GetProperty("transactions").GetInt32(), decoded.TransactionCount);
        var ids = decoded.Blocks.SelectMany(b => b.Transactions).Select(t => t.Id.ToString()).ToHashSet();
        foreach (var withdrawal in withdrawals.Where(w => first <= w.L2Block && w.L2Block <= last))
            Assert.Contains(withdrawal.TxId, ids);
        Assert.Equal(JsonValueKind.Null, (await CliJsonAsync("l2_getbatch", Text(_chainId), Text(index))).GetProperty("data").ValueKind);
        await CliFailsAsync(-5, $"chain {Text(_chainId)} has ", "l2_getbatch", Text(_chainId), Text(index + 1000));
        await ZstdDecodesAsync(frame, raw);
    }

    /// <summary>Debian's zstd decodes <paramref name="frame"/> to <paramref name="raw"/> (skipped, and said, when the tool is missing).</summary>
    private async Task ZstdDecodesAsync(byte[] frame, byte[] raw)
    {
        if (!File.Exists("/usr/bin/zstd"))
        {
            output.WriteLine("zstd is not installed (contrib/install-deps.sh installs it): the batch frame was not checked with the zstd tool");
            return;
        }
        var framePath = Path.Combine(_dir.Path, "batch.zst");
        await File.WriteAllBytesAsync(framePath, frame);
        using var zstd = Process.Start(new ProcessStartInfo("/usr/bin/zstd", ["-d", "-q", "-f", framePath, "-o", framePath + ".raw"]) { RedirectStandardError = true })!;
        await zstd.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, zstd.ExitCode);
        Assert.Equal(raw, await File.ReadAllBytesAsync(framePath + ".raw"));
        output.WriteLine($"zstd -d decoded the {frame.Length}-byte batch frame to its {raw.Length} bytes");
    }
}
