using System.Diagnostics;
using System.Text.Json;
using Cascoin.L2.TestKit;

namespace Cascoin.L2.Functional.Tests;

/// <summary>The encrypted mempool on real processes (doc/encrypted-mempool.md, issue 15).</summary>
public sealed partial class SequencerNetworkTests
{
    [Fact]
    public async Task Sequencers_make_the_epoch_key_together_and_a_new_member_starts_a_new_epoch()
    {
        var watch = Stopwatch.StartNew();
        await DeployWithFourSequencersAsync(staked: 3, encryption: "optional");
        await StopAllAsync();
        for (var i = 0; i <= Sequencers; i++)
            await StartAsync(i, onChain: true);
        output.WriteLine($"deployed chain {_chainId} with 3 staked sequencers and an encrypted mempool: {watch.ElapsedMilliseconds} ms");

        var first = await EpochKeyAsync(1);
        Assert.Equal(3, first.GetProperty("members").GetArrayLength());
        Assert.Equal(2, first.GetProperty("threshold").GetInt32());
        Assert.Equal(_sequencerAddresses.Take(3).Order(StringComparer.Ordinal), first.GetProperty("members").EnumerateArray().Select(m => m.GetString()!));
        foreach (var i in Enumerable.Range(0, 3))
            Assert.Contains("its key is committed", Node(i).ReadLog(), StringComparison.Ordinal);
        // The full node and the unstaked node learn the key from the settlement chain, as users do.
        Assert.Equal(first.GetProperty("key").GetString(), (await Json(Node(Sequencers), "l2_getencryptionkey")).GetProperty("key").GetString());
        output.WriteLine($"epoch 1 committed at L1 height {first.GetProperty("committedheight")}: {watch.ElapsedMilliseconds} ms");

        await StakeAsync(3);
        var second = await EpochKeyAsync(2);
        Assert.Equal(4, second.GetProperty("members").GetArrayLength());
        Assert.Equal(3, second.GetProperty("threshold").GetInt32());
        Assert.NotEqual(first.GetProperty("key").GetString(), second.GetProperty("key").GetString());
        Assert.True(second.GetProperty("setheight").GetUInt64() > first.GetProperty("setheight").GetUInt64());
        Assert.Contains("its key is committed", Node(3).ReadLog(), StringComparison.Ordinal);
        output.WriteLine($"epoch 2 with the new member committed at L1 height {second.GetProperty("committedheight")}: {watch.ElapsedMilliseconds} ms");
        _dir.Succeeded();
    }

    /// <summary>Mines settlement blocks at the L2 chain's pace until epoch <paramref name="epoch"/>'s key is on L1 and every node sees it.</summary>
    private async Task<JsonElement> EpochKeyAsync(ulong epoch)
    {
        // A run takes 7 phases of 2 blocks; it starts at a multiple of 10 and its record is mined a few blocks later.
        for (var blocks = 0; blocks < 45; blocks++)
        {
            var record = await Node(0).CliAsync("l2_getencryptionkey", _chainId, epoch.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (record.ExitCode == 0)
            {
                await L1ConvergedAsync();
                using var document = JsonDocument.Parse(record.Stdout);
                return document.RootElement.Clone();
            }
            // One L2 block per L1 block: the anchors (every 5 L2 blocks) keep well inside the emergency window.
            var before = await L2Height(Node(0));
            await Json(Node(0), "generate", "1");
            await L1ConvergedAsync();
            await TestWait.UntilAsync(() => L2Height(Node(0)), h => h > before, "the L2 chain keeps pace with L1", TimeSpan.FromSeconds(60));
        }
        throw new Xunit.Sdk.XunitException($"no key for epoch {epoch} after 45 L1 blocks; node 0's log:\n{Node(0).ReadLog()}");
    }
}
