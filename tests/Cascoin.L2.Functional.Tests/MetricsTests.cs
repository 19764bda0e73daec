using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cascoin.L2.TestKit;
using Xunit.Abstractions;

namespace Cascoin.L2.Functional.Tests;

/// <summary>
/// Prometheus' /metrics on a real cascoind -regtest: the RPC credentials guard it, its values match
/// what RPC says, and every metric the Grafana dashboard in contrib/grafana draws is there.
/// </summary>
public sealed partial class MetricsTests(ITestOutputHelper output)
{

    [Fact]
    public async Task Metrics_need_the_credentials_match_rpc_and_cover_the_grafana_dashboard()
    {
        using var dir = TestDirectory.Create("metrics");
        await using var node = new TestNode(dir.Path);
        await node.StartAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var url = $"http://127.0.0.1:{node.RpcPort}/metrics";
        using (var anonymous = await http.GetAsync(url))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(node.Cookie)));

        await node.RpcAsync("importprivkey", DevelopmentAccount.Wif);
        string last = "";
        for (var i = 0; i < 5; i++)
            last = (await node.RpcAsync("l2_sendtransaction", DevelopmentAccount.Address, DevelopmentAccount.Address, "0.5")).GetProperty("result").GetProperty("txid").GetString()!;
        await TestWait.UntilAsync(() => node.RpcAsync("l2_gettransactionreceipt", last), r => r.GetProperty("result").ValueKind == JsonValueKind.Object, "the transfers are in a block");
        var height = (await node.RpcAsync("l2_blocknumber")).GetProperty("result").GetUInt64();
        await node.RpcAsync("l2_getbalance", "nonsense");

        using var response = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        var text = await response.Content.ReadAsStringAsync();
        var types = TypeLine().Matches(text).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

        Assert.Equal(height, (ulong)Sample(text, "cascoin_l2_height"));
        Assert.True(Sample(text, "cascoin_l2_transactions_total") >= 5);
        Assert.True(Sample(text, "cascoin_rpc_requests_total{method=\"l2_sendtransaction\",outcome=\"ok\"}") >= 5);
        Assert.Equal(1, Sample(text, "cascoin_rpc_requests_total{method=\"l2_getbalance\",outcome=\"-5\"}"));
        Assert.True(Sample(text, "cascoin_l2_block_finality_seconds_count") >= 1);
        Assert.Equal(0, Sample(text, "cascoin_mempool_transactions"));
        Assert.True(Sample(text, "cascoin_rocksdb_live_data_bytes{column=\"l2blocks\"}") >= 0);
        Assert.True(Sample(text, "cascoin_process_resident_bytes") > 10_000_000);

        // Every series the dashboard queries exists (a histogram's _bucket, _sum and _count belong to it).
        var dashboard = File.ReadAllText(Path.Combine(ProductPaths.RepositoryRoot, "contrib", "grafana", "cascoin-node.json"));
        using var json = JsonDocument.Parse(dashboard);
        var expressions = json.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray()).Select(t => t.GetProperty("expr").GetString()!).ToList();
        var used = expressions.SelectMany(e => MetricName().Matches(e).Select(m => m.Value)).Distinct().ToList();
        Assert.NotEmpty(used);
        foreach (var name in used)
        {
            var family = HistogramSuffix().Replace(name, "");
            Assert.True(types.ContainsKey(name) || (family != name && types.GetValueOrDefault(family) == "histogram"),
                $"the dashboard uses {name}, which /metrics does not export");
        }
        output.WriteLine($"{expressions.Count} dashboard queries over {used.Count} metrics, all exported; /metrics has {types.Count} families");

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
            await http.GetStringAsync(url);
        output.WriteLine($"a scrape takes {watch.Elapsed.TotalMilliseconds / 20:F1} ms ({text.Length} bytes)");
        dir.Succeeded();
    }

    private static double Sample(string text, string series)
    {
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"/metrics has no sample {series}");
        return double.Parse(line[(series.Length + 1)..].Trim(), CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^# TYPE (\S+) (\S+)$", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"cascoin_[a-z0-9_]+")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"_(bucket|sum|count)$")]
    private static partial Regex HistogramSuffix();
}
