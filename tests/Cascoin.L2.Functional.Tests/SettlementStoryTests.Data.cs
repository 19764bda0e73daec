using System.Globalization;
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
        // No fraud-proof game on this honest chain: the batch is pending or final, never challenged.
        Assert.Contains(batch.GetProperty("status").GetString(), new[] { "pending", "final" });
        Assert.Equal(0, (await CliJsonAsync("l2_getchallenges", Text(_chainId))).GetArrayLength());
        await CliFailsAsync(-8, "status is open or closed", "l2_getchallenges", Text(_chainId), "won");
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

    /// <summary>
    /// A staker plays a lying poster through sendrawtransaction: the certified blocks after the last
    /// anchor with their true data, under a DA root that is not the data's. The node refuses it with the
    /// contract's reason before it costs a fee; nothing is anchored.
    /// </summary>
    private async Task LyingCommitmentRefusedAsync(string poster)
    {
        var info = await ChainInfoAsync();
        var anchored = info.GetProperty("lastanchoredblock").GetUInt64();
        var head = await L2HeadAsync();
        Assert.True(head > anchored && head >= 2, $"blocks after the last anchor ({anchored}) to anchor, head {head}");
        var blocks = new List<Cascoin.L2.Chain.Blocks.Block>();
        for (var n = anchored + 1; n <= head; n++)
            blocks.Add(Cascoin.L2.Chain.Blocks.Block.Decode(Convert.FromHexString(await CliAsync("l2_getblockbynumber", Text(n), "0"))));
        var honest = Cascoin.L2.Settlement.L1.AnchorCall.Of(_chainId, blocks);
        var lying = honest with { DataRoot = new Cascoin.L2.Primitives.Hash256(System.Security.Cryptography.SHA256.HashData("another batch"u8)) };
        using var key = await KeyOfAsync(poster);
        // The poster's next L1 nonce, as the node tells whoever asks with a stale one.
        var probe = await Node.CliAsync("sendrawtransaction", Convert.ToHexStringLower(Sign(lying, key, 0).ToBytes()));
        var stale = System.Text.RegularExpressions.Regex.Match(probe.Stderr, "account nonce is ([0-9]+)");
        var nonce = stale.Success ? ulong.Parse(stale.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        await CliFailsAsync(-26, $"bad-commitment: the batch data's commitment is {honest.DataRoot}, not the claimed {lying.DataRoot}",
            "sendrawtransaction", Convert.ToHexStringLower(Sign(lying, key, nonce).ToBytes()));
        Assert.Equal(anchored, (await ChainInfoAsync()).GetProperty("lastanchoredblock").GetUInt64());
        output.WriteLine($"an anchor of L2 blocks {anchored + 1}..{head} with a lying DA commitment was refused");
    }

    private static Cascoin.L2.Settlement.L1.L1Transaction Sign(Cascoin.L2.Settlement.L1.AnchorCall call, Cascoin.L2.Crypto.PrivateKey key, ulong nonce)
    {
        var payload = call.ToBytes();
        return Cascoin.L2.Settlement.L1.L1Transaction.Sign(call.Kind, nonce, Rules.FeeFor(call.Kind, payload.Length), payload, key, Network);
    }
}
