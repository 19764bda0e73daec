using System.Text.Json.Nodes;
using Cascoin.L2.Rpc.OpenRpc;

namespace Cascoin.L2.Rpc.Tests;

/// <summary>rpc.discover's document of the test modules: what the binder accepts and what RpcJson writes, method by method.</summary>
public sealed class OpenRpcDocumentTests
{
    [Fact]
    public void Parameters_results_and_errors_follow_the_declarations()
    {
        using var rpc = new RpcHarness();
        var document = OpenRpcDocument.Build(rpc.Table.Methods, "1.2.3");
        Assert.Equal("1.3.2", (string)document["openrpc"]!);
        Assert.Equal("1.2.3", (string)document["info"]!["version"]!);
        var methods = document["methods"]!.AsArray().ToDictionary(m => (string)m!["name"]!, m => m!.AsObject());

        var echo = methods["echo"];
        Assert.Equal("Returns the text, repeated", (string)echo["summary"]!);
        var text = echo["params"]![0]!;
        Assert.Equal(("text", true, "string"), ((string)text["name"]!, (bool)text["required"]!, (string)text["schema"]!["type"]!));
        var times = echo["params"]![1]!;
        Assert.Equal(("times", false, "integer", 1), ((string)times["name"]!, (bool)times["required"]!, (string)times["schema"]!["type"]!, (int)times["schema"]!["default"]!));
        Assert.Equal("string", (string)echo["result"]!["schema"]!["type"]!);

        Assert.Equal(0, (int)methods["scale"]["params"]![1]!["schema"]!["minimum"]!);
        Assert.Equal("number", (string)methods["ratio"]["params"]![0]!["schema"]!["type"]!);
        Assert.Equal("null", (string)methods["touch"]["result"]!["schema"]!["type"]!);
        Assert.Empty(methods["touch"]["params"]!.AsArray());

        // A DTO's schema names its properties as RpcJson writes them (lower case).
        var info = methods["getinfo"]["result"]!["schema"]!["properties"]!.AsObject();
        Assert.Equal(["name", "blockcount", "note", "verbose"], info.Select(p => p.Key));

        // Parameters bring -32602; only methods not allowed in warm-up bring -28.
        Assert.Contains(-32602, Codes(echo));
        Assert.DoesNotContain(-32602, Codes(methods["touch"]));
        Assert.Contains(-28, Codes(echo));
        Assert.DoesNotContain(-28, Codes(methods["getinfo"]));
        Assert.Contains(methods.Keys, name => name == "rpc.discover");
        Assert.Equal("number", (string)methods["fee"]["result"]!["schema"]!["type"]!);
    }

    private static IEnumerable<int> Codes(JsonObject method) => method["errors"]!.AsArray().Select(e => (int)e!["code"]!);
}
