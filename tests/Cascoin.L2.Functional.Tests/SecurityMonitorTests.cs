using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement;
using Cascoin.L2.Settlement.L1;
using Cascoin.L2.TestKit;
using Xunit.Abstractions;

namespace Cascoin.L2.Functional.Tests;

/// <summary>
/// The node watching itself and the circuit breaker (doc/monitoring.md), on one real node: a withdrawal
/// surge raises a critical alert in every channel (log, l2_getalerts, the WebSocket, /metrics); then, with
/// four sequencers of equal weight, the node's own signature cannot pause the bridge, three of the four
/// can, deposits wait while it is paused, and three of four lift the pause.
/// </summary>
public sealed class SecurityMonitorTests(ITestOutputHelper output) : DeployedChainTest("security-monitor")
{
    private static readonly NetworkParameters Network = NetworkParameters.Regtest;



    [Fact]
    public async Task A_withdrawal_surge_alerts_everywhere_and_only_more_than_two_thirds_of_the_sequencers_pause_the_bridge()
    {
        var chainId = await DeployAsync("breaker");
        await using var ws = await WebSocketClient.ConnectAsync(Node);
        var subscription = (await ws.CallAsync("l2_subscribe", ["alerts"])).GetProperty("result").GetString()!;

        // 20 CAS locked; 5 withdrawn within the hour is more than the 10 % the monitor allows.
        var user = await Cli("getnewaddress");
        await Cli("l2_deposit", chainId, "20", user);
        await Json("generate", "2");
        await TestWait.UntilAsync(() => Cli("l2_getbalance", user), b => b == "20.00000000", "the deposit is minted", TimeSpan.FromSeconds(30));
        await Cli("-named", "l2_withdraw", "amount=5", $"fromaddress={user}");

        var alert = (await TestWait.UntilAsync(() => Json("l2_getalerts", "0", "critical"), a => a.GetArrayLength() > 0, "a critical alert", TimeSpan.FromSeconds(30)))[0];
        output.WriteLine($"alert: {alert}");
        Assert.Equal("withdrawal-surge", alert.GetProperty("kind").GetString());
        Assert.Equal("5.00000000", alert.GetProperty("evidence").GetProperty("withdrawn").GetString());
        Assert.Equal("20.00000000", alert.GetProperty("evidence").GetProperty("locked").GetString());
        var notifications = new List<JsonElement>();
        await ws.ReadUntilAsync(notifications, n => n.Any(m => m.GetProperty("params").GetProperty("result").GetProperty("kind").GetString() == "withdrawal-surge"), "the alert on the WebSocket");
        Assert.Equal(subscription, notifications[^1].GetProperty("params").GetProperty("subscription").GetString());
        Assert.Contains($"ALERT {alert.GetProperty("id").GetUInt64()} critical withdrawal-surge", Node.ReadLog(), StringComparison.Ordinal);
        Assert.Contains("cascoin_alerts_total{severity=\"critical\",kind=\"withdrawal-surge\"} 1", await GetAsync("/metrics"), StringComparison.Ordinal);
        var dashboard = JsonDocument.Parse(await GetAsync("/l2/api/alerts")).RootElement.GetProperty("alerts");
        Assert.Equal("withdrawal-surge", dashboard[0].GetProperty("kind").GetString());
        await CliFailsAsync("severity must be info, warning or critical", "l2_getalerts", "0", "loud");

        // Three more sequencers with the node's stake and score: the node holds a quarter of the weight.
        var others = Enumerable.Range(0, 3).Select(_ => PrivateKey.Generate()).ToList();
        var addresses = new List<string>();
        foreach (var key in others)
        {
            await Cli("importprivkey", Wif.Encode(key.ToArray(), compressed: true, Network));
            var address = DeterministicKeys.AddressOf(key).ToBase58(Network);
            addresses.Add(address);
            await Cli("sendtoaddress", address, "20");
        }
        await Json("generate", "1");
        var stake = SettlementParameters.Regtest.MinimumSequencerStake;
        foreach (var (key, address) in others.Zip(addresses))
        {
            await Cli("setreputation", address, "90");
            var bond = new BondCall(ulong.Parse(chainId, CultureInfo.InvariantCulture), stake);
            var payload = bond.ToBytes();
            var transaction = L1Transaction.Sign(bond.Kind, 0, SettlementParameters.Regtest.FeeFor(bond.Kind, payload.Length), payload, key, Network);
            await Cli("sendrawtransaction", Convert.ToHexStringLower(transaction.ToBytes()));
        }
        await Json("generate", "1");
        Assert.Equal(4, (await Json("l2_getchaininfo", chainId)).GetProperty("sequencers").GetArrayLength());

        var own = await SignAsync("pause");
        await CliFailsAsync("one node cannot pause the bridge", "l2_setbridgepause", "pause", own);
        var three = string.Join(',', [own, await SignAsync("pause", addresses[0]), await SignAsync("pause", addresses[1])]);
        await Cli("l2_setbridgepause", "pause", three);
        await Json("generate", "1");
        Assert.Equal("PAUSED", (await Json("l2_getchaininfo", chainId)).GetProperty("status").GetString());
        await TestWait.UntilAsync(() => Json("l2_getalerts", alert.GetProperty("id").GetUInt64().ToString(CultureInfo.InvariantCulture), "critical"),
            a => a.EnumerateArray().Any(x => x.GetProperty("kind").GetString() == "bridge-paused"), "the pause alert", TimeSpan.FromSeconds(30));
        await CliFailsAsync("is PAUSED by its sequencers (circuit breaker): deposits wait", "l2_deposit", chainId, "1", user);

        // The old signatures are spent; three fresh ones for the next counter lift the pause.
        await CliFailsAsync("only an ACTIVE chain's bridge can be paused", "l2_setbridgepause", "pause", three);
        var lift = string.Join(',', [await SignAsync("unpause", addresses[0]), await SignAsync("unpause", addresses[1]), await SignAsync("unpause", addresses[2])]);
        await Cli("l2_setbridgepause", "unpause", lift);
        await Json("generate", "1");
        Assert.Equal("ACTIVE", (await Json("l2_getchaininfo", chainId)).GetProperty("status").GetString());
        await Cli("l2_deposit", chainId, "1", user);

        // The audit log kept it all: the start, the alerts, the calls that moved funds (and the refused one), both circuit-breaker calls on L1.
        var audit = (await Json("l2_getauditlog")).EnumerateArray().Select(e => (Kind: e.GetProperty("kind").GetString()!, Subject: e.GetProperty("subject").GetString()!,
            Message: e.GetProperty("message").GetString()!)).ToList();
        output.WriteLine(string.Join('\n', audit));
        Assert.Contains(audit, e => e.Kind == "start" && e.Message.Contains($"L2 {chainId}", StringComparison.Ordinal));
        Assert.Contains(audit, e => e is { Kind: "alert", Subject: "withdrawal-surge" });
        Assert.Contains(audit, e => e is { Kind: "alert", Subject: "bridge-paused" });
        Assert.Contains(audit, e => e is { Kind: "rpc", Subject: "l2_withdraw", Message: "done" });
        Assert.Contains(audit, e => e.Kind == "rpc" && e.Subject == "l2_deposit" && e.Message.StartsWith("refused with error", StringComparison.Ordinal));
        Assert.Equal(2, audit.Count(e => e.Kind == "l1" && e.Message.StartsWith("SetBridgePause", StringComparison.Ordinal)));
        Assert.All(await Json("l2_getauditlog", "0", "l1") is var l1 ? l1.EnumerateArray() : default, e => Assert.Equal("l1", e.GetProperty("kind").GetString()));
        await CliFailsAsync("since must be unix seconds or an ISO 8601 time", "l2_getauditlog", "\"yesterday\"");
        Directory.Succeeded();
    }

    private async Task<string> SignAsync(string action, string? address = null)
    {
        var signed = address is null ? await Json("l2_signbridgepause", action) : await Json("l2_signbridgepause", action, address);
        Assert.Equal(action, signed.GetProperty("action").GetString());
        return signed.GetProperty("signature").GetString()!;
    }

    /// <summary>A page of the RPC listener (/metrics, /l2/api/...) with the node's credentials.</summary>
    private async Task<string> GetAsync(string path)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Node.Cookie)));
        return await http.GetStringAsync($"http://127.0.0.1:{Node.RpcPort}{path}");
    }
}
