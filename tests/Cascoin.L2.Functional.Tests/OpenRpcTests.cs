using System.Text.Json;
using System.Text.Json.Nodes;
using Cascoin.L2.TestKit;
using Json.Schema;
using Xunit.Abstractions;

namespace Cascoin.L2.Functional.Tests;

/// <summary>
/// rpc.discover of a real node against the OpenRPC meta-schema (vendored in OpenRpcSchema with its
/// license): the document is valid, names every method help names with its parameters, and the
/// check itself refuses broken documents.
/// </summary>
public sealed class OpenRpcTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Rpc_discover_returns_a_valid_openrpc_document_of_every_method()
    {
        using var dir = TestDirectory.Create("openrpc");
        await using var node = new TestNode(dir.Path);
        await node.StartAsync();
        var document = (await node.RpcAsync("rpc.discover")).GetProperty("result");
        var schema = MetaSchema();

        var results = schema.Evaluate(document, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(results.IsValid, "rpc.discover is not a valid OpenRPC document: " + Describe(results));
        Assert.Equal("1.3.2", document.GetProperty("openrpc").GetString());

        // The same methods as help, with the parameters help gives them.
        var help = (await node.RpcAsync("help")).GetProperty("result").GetString()!;
        var synopses = help.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("==", StringComparison.Ordinal)).ToDictionary(l => l.Split(' ')[0]);
        var methods = document.GetProperty("methods").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!);
        Assert.Equal(synopses.Keys.Order(StringComparer.Ordinal), methods.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, method) in methods)
        {
            var parameters = method.GetProperty("params").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToList();
            foreach (var parameter in parameters)
                Assert.Contains(parameter, synopses[name], StringComparison.Ordinal);
        }
        var balance = methods["l2_getbalance"];
        Assert.Equal("string", balance.GetProperty("params")[0].GetProperty("schema").GetProperty("type").GetString());
        Assert.True(balance.GetProperty("params")[0].GetProperty("required").GetBoolean());
        output.WriteLine($"{methods.Count} methods, {document.GetRawText().Length} bytes, valid against the OpenRPC meta-schema");

        // The check bites: a document without info, or with a parameter without a schema, is refused.
        var noInfo = JsonNode.Parse(document.GetRawText())!.AsObject();
        noInfo.Remove("info");
        Assert.False(schema.Evaluate(JsonDocument.Parse(noInfo.ToJsonString()).RootElement).IsValid);
        var noSchema = JsonNode.Parse(document.GetRawText())!.AsObject();
        noSchema["methods"]!.AsArray().Select(m => m!["params"]!.AsArray()).First(p => p.Count > 0)[0]!.AsObject().Remove("schema");
        Assert.False(schema.Evaluate(JsonDocument.Parse(noSchema.ToJsonString()).RootElement).IsValid);
        dir.Succeeded();
    }

    private static JsonSchema MetaSchema()
    {
        var folder = Path.Combine(ProductPaths.RepositoryRoot, "tests", "Cascoin.L2.Functional.Tests", "OpenRpcSchema");
        // Both meta-schemas are draft-07 documents naming json-schema-tools' meta-schema as their dialect: draft 07 under that name.
        var dialects = new DialectRegistry();
        dialects.Register(Dialect.Draft07.With([], new Uri("https://meta.json-schema.tools/")));
        var options = new BuildOptions { Dialect = Dialect.Draft07, SchemaRegistry = new SchemaRegistry(), DialectRegistry = dialects };
        var tools = JsonSchema.FromText(File.ReadAllText(Path.Combine(folder, "json-schema-tools-meta-schema.json")), options);
        options.SchemaRegistry.Register(new Uri("https://meta.json-schema.tools"), tools);
        return JsonSchema.FromText(File.ReadAllText(Path.Combine(folder, "openrpc-meta-schema.json")), options);
    }

    private static string Describe(EvaluationResults results) =>
        string.Join("; ", (results.Details ?? []).Where(d => d.Errors is { Count: > 0 }).Take(10)
            .Select(d => $"{d.InstanceLocation}: {string.Join(", ", d.Errors!.Values)}"));
}
