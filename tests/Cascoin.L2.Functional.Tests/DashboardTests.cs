using System.Text.Json;
using Cascoin.L2.TestKit;
using Xunit.Abstractions;

namespace Cascoin.L2.Functional.Tests;

/// <summary>
/// The dashboard at /l2/ in a real browser (Debian's chromium, headless): refused without the node's
/// credentials; with them, the L2 height rises on the page without a reload, and a transaction is
/// found by its hash. (The sequencers page of a four-node network is in SequencerNetworkTests.)
/// </summary>
public sealed class DashboardTests(ITestOutputHelper output)
{

    [SkippableFact]
    public async Task The_dashboard_needs_the_credentials_follows_the_chain_live_and_finds_a_transaction()
    {
        Skip.IfNot(File.Exists(DashboardBrowser.Chromium), DashboardBrowser.Missing);
        using var dir = TestDirectory.Create("dashboard");
        await using var node = new TestNode(dir.Path);
        await node.StartAsync();
        await node.RpcAsync("importprivkey", DevelopmentAccount.Wif);
        await using var browser = await DashboardBrowser.LaunchAsync();

        var (refused, status) = await browser.OpenAsync(node, "/l2/", credentials: false);
        Assert.Equal(401, status);
        Assert.DoesNotContain("L2 height", await refused.GetContentAsync(), StringComparison.Ordinal);
        await refused.CloseAsync();

        var (page, ok) = await browser.OpenAsync(node, "/l2/");
        Assert.Equal(200, ok);
        var first = ulong.Parse(await DashboardBrowser.UntilAsync(page, "/^\\d+$/.test(document.getElementById('height').textContent) && document.getElementById('height').textContent",
            "the page shows the L2 height"), System.Globalization.CultureInfo.InvariantCulture);
        var live = await DashboardBrowser.UntilAsync(page, "document.getElementById('live').textContent !== 'connecting…' && document.getElementById('live').textContent",
            "the page is live over the WebSocket or polls");
        output.WriteLine($"the page shows height {first}; updates: {live}");
        await DashboardBrowser.ScreenshotAsync(page, "dashboard-status");

        string txid = "";
        for (var i = 0; i < 3; i++)
            txid = (await node.RpcAsync("l2_sendtransaction", DevelopmentAccount.Address, DevelopmentAccount.Address, "0.25")).GetProperty("result").GetProperty("txid").GetString()!;
        await TestWait.UntilAsync(() => node.RpcAsync("l2_gettransactionreceipt", txid), r => r.GetProperty("result").ValueKind == JsonValueKind.Object, "the transfers are in a block");
        var height = (await node.RpcAsync("l2_blocknumber")).GetProperty("result").GetUInt64();
        Assert.True(height > first);
        // No reload: the same page, its height moved by the newHeads subscription (or, without it, by polling).
        await DashboardBrowser.UntilAsync(page, $"Number(document.getElementById('height').textContent) >= {height}", $"the page shows height {height} without a reload");
        Assert.Equal("live", live);

        await page.TypeAsync("#query", txid);
        await page.ClickAsync("#search button");
        await DashboardBrowser.UntilAsync(page, $"!document.getElementById('result').hidden && document.getElementById('result-body').textContent.includes('{txid}') && document.getElementById('result-body').textContent.includes('\"status\": \"success\"')",
            "the search finds the transaction and its receipt");
        await DashboardBrowser.ScreenshotAsync(page, "dashboard-search");

        await page.GoToAsync($"http://127.0.0.1:{node.RpcPort}/l2/#blocks");
        await DashboardBrowser.UntilAsync(page, $"document.getElementById('block-rows').rows.length > 0 && document.getElementById('block-rows').rows[0].cells[0].textContent === '{height}'",
            "the blocks page lists the head first");
        await DashboardBrowser.ScreenshotAsync(page, "dashboard-blocks");
        output.WriteLine($"screenshots in {DashboardBrowser.ScreenshotDirectory}");
        dir.Succeeded();
    }
}
