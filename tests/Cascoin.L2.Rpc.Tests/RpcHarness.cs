using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cascoin.L2.Rpc.Tests;

/// <summary>A dispatcher over <see cref="TestModule"/>, with the warm-up already finished unless a warm-up is given.</summary>
public sealed class RpcHarness : IDisposable
{
    public RpcHarness(RpcWarmup? warmup = null, int maxBatchSize = 10_000)
    {
        Module = new TestModule();
        Table = new RpcMethodTable([Module]);
        if (warmup is null)
        {
            warmup = new RpcWarmup();
            warmup.Finish();
        }
        Dispatcher = new JsonRpcDispatcher(Table, warmup, NullLogger<JsonRpcDispatcher>.Instance) { MaxBatchSize = maxBatchSize };
    }

    public TestModule Module { get; }

    public RpcMethodTable Table { get; }

    public JsonRpcDispatcher Dispatcher { get; }

    public async Task<Reply> CallAsync(string json, CancellationToken cancellationToken = default) =>
        Reply.From(await Dispatcher.DispatchAsync(Encoding.UTF8.GetBytes(json), cancellationToken));

    public void Dispose() => Table.Dispose();
}

/// <summary>A dispatcher reply with its body parsed (null for a notification's empty reply).</summary>
public sealed record Reply(int Status, byte[]? Body, JsonNode? Json)
{
    public static Reply From(RpcReply reply) =>
        new(reply.StatusCode, reply.Body, reply.Body is null ? null : JsonNode.Parse(reply.Body));

    public JsonObject Object => Assert.IsType<JsonObject>(Json);

    public JsonArray Array => Assert.IsType<JsonArray>(Json);

    public int? ErrorCode => ErrorCodeOf(Object);

    public string ErrorMessage => (string)Object["error"]!["message"]!;

    public string Text => Body is null ? "" : Encoding.UTF8.GetString(Body);

    public static int? ErrorCodeOf(JsonNode? reply) => reply?["error"]?["code"]?.GetValue<int>();
}
