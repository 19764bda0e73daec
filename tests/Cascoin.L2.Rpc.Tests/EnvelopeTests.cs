using System.Text;
using System.Text.Json.Nodes;

namespace Cascoin.L2.Rpc.Tests;

/// <summary>The JSON-RPC 1.0 and 2.0 reply shapes and HTTP statuses, as bitcoind writes them.</summary>
public class EnvelopeTests
{
    [Fact]
    public async Task A_1_0_success_has_result_error_null_and_id_with_HTTP_200()
    {
        using var rpc = new RpcHarness();
        var reply = await rpc.CallAsync("""{"method":"add","params":[2,3],"id":7}""");

        Assert.Equal(200, reply.Status);
        Assert.Equal("""{"result":5,"error":null,"id":7}""", reply.Text);
        Assert.False(reply.Object.ContainsKey("jsonrpc"));
    }

    [Fact]
    public async Task A_1_0_request_with_explicit_version_1_0_is_answered_the_1_0_way()
    {
        using var rpc = new RpcHarness();
        var reply = await rpc.CallAsync("""{"jsonrpc":"1.0","method":"echo","params":["x"],"id":"curl"}""");
        Assert.Equal(200, reply.Status);
        Assert.Equal("""{"result":"x","error":null,"id":"curl"}""", reply.Text);
    }

    [Theory]
    [InlineData("""{"method":"nosuchmethod","id":1}""", -32601, 404)]
    [InlineData("""{"method":42,"id":1}""", -32600, 400)]
    [InlineData("""{"id":1}""", -32600, 400)]
    [InlineData("""{"method":"echo","params":"text","id":1}""", -32600, 400)]
    [InlineData("""{"method":"echo","params":[],"id":1}""", -32602, 500)]
    [InlineData("""{"method":"fail","id":1}""", -8, 500)]
    [InlineData("""{"method":"crash","id":1}""", -32603, 500)]
    public async Task A_1_0_error_has_result_null_and_bitcoinds_HTTP_status(string request, int code, int status)
    {
        using var rpc = new RpcHarness();
        var reply = await rpc.CallAsync(request);

        Assert.Equal(status, reply.Status);
        Assert.Equal(code, reply.ErrorCode);
        Assert.True(reply.Object.ContainsKey("result"));
        Assert.Null(reply.Object["result"]);
        Assert.False(string.IsNullOrEmpty(reply.ErrorMessage));
        Assert.Equal(1, (int)reply.Object["id"]!);
        Assert.Equal(status, JsonRpcDispatcher.HttpStatusFor(code));
    }

    [Fact]
    public async Task A_2_0_success_carries_jsonrpc_and_no_error_member()
    {
        using var rpc = new RpcHarness();
        var reply = await rpc.CallAsync("""{"jsonrpc":"2.0","method":"add","params":[40,2],"id":"a"}""");

        Assert.Equal(200, reply.Status);
        Assert.Equal("""{"jsonrpc":"2.0","result":42,"id":"a"}""", reply.Text);
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","method":"nosuchmethod","id":1}""", -32601)]
    [InlineData("""{"jsonrpc":"2.0","method":7,"id":1}""", -32600)]
    [InlineData("""{"jsonrpc":"2.0","method":"add","params":[1],"id":1}""", -32602)]
    [InlineData("""{"jsonrpc":"2.0","method":"fail","id":1}""", -8)]
    [InlineData("""{"jsonrpc":"2.0","method":"crash","id":1}""", -32603)]
    public async Task A_2_0_error_is_HTTP_200_with_an_error_and_no_result_member(string request, int code)
    {
        using var rpc = new RpcHarness();
        var reply = await rpc.CallAsync(request);

        Assert.Equal(200, reply.Status);
        Assert.Equal("2.0", (string)reply.Object["jsonrpc"]!);
        Assert.Equal(code, reply.ErrorCode);
        Assert.False(reply.Object.ContainsKey("result"));
        Assert.Equal(1, (int)reply.Object["id"]!);
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","method":"touch"}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"touch","params":[]}""")]
    public async Task A_2_0_notification_runs_the_method_and_gets_no_body_and_status_204(string request)
    {
        using var rpc = new RpcHarness();
        var reply = await rpc.CallAsync(request);

        Assert.Equal(204, reply.Status);
        Assert.Null(reply.Body);
        Assert.Equal(1, rpc.Module.Touches);
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","method":"nosuchmethod"}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"crash"}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"add","params":["x"]}""")]
    public async Task A_failing_2_0_notification_still_gets_no_body(string request)
    {
        using var rpc = new RpcHarness();
        var reply = await rpc.CallAsync(request);
        Assert.Equal(204, reply.Status);
        Assert.Null(reply.Body);
    }

    [Fact]
    public async Task A_1_0_request_without_id_is_not_a_notification_and_is_answered_with_id_null()
    {
        using var rpc = new RpcHarness();
        var reply = await rpc.CallAsync("""{"method":"echo","params":["hi"]}""");
        Assert.Equal(200, reply.Status);
        Assert.Equal("""{"result":"hi","error":null,"id":null}""", reply.Text);
    }

    [Fact]
    public async Task A_2_0_request_with_id_null_is_answered()
    {
        using var rpc = new RpcHarness();
        var reply = await rpc.CallAsync("""{"jsonrpc":"2.0","method":"echo","params":["hi"],"id":null}""");
        Assert.Equal(200, reply.Status);
        Assert.Equal("""{"jsonrpc":"2.0","result":"hi","id":null}""", reply.Text);
    }

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("\"\"")]
    [InlineData("\"\\u00e9\\n\"")]
    [InlineData("42")]
    [InlineData("-1.5")]
    [InlineData("1e3")]
    [InlineData("123456789012345678901234567890")]
    [InlineData("null")]
    public async Task The_id_is_echoed_exactly(string id)
    {
        using var rpc = new RpcHarness();
        foreach (var version in new[] { "", "\"jsonrpc\":\"2.0\"," })
        {
            var reply = await rpc.CallAsync($$"""{{{version}}"method":"add","params":[1,1],"id":{{id}}}""");
            Assert.Equal(200, reply.Status);
            Assert.Equal(2, (long)reply.Object["result"]!);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(id), reply.Object["id"]), $"id {id} came back as {reply.Object["id"]?.ToJsonString()}");
            if (!id.StartsWith('"'))
                Assert.EndsWith($"\"id\":{id}}}", reply.Text, StringComparison.Ordinal); // numbers keep their exact text
        }
    }

    [Theory]
    [InlineData("{\"a\":1}")]
    [InlineData("[1]")]
    [InlineData("true")]
    public async Task An_object_array_or_boolean_id_is_an_invalid_request(string id)
    {
        using var rpc = new RpcHarness();
        var v1 = await rpc.CallAsync($$"""{"method":"add","params":[1,1],"id":{{id}}}""");
        Assert.Equal(-32600, v1.ErrorCode);
        Assert.Equal(400, v1.Status);

        var v2 = await rpc.CallAsync($$"""{"jsonrpc":"2.0","method":"add","params":[1,1],"id":{{id}}}""");
        Assert.Equal(-32600, v2.ErrorCode);
        Assert.Equal(200, v2.Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"method\":\"echo\",")]
    [InlineData("{'method':'echo'}")]
    [InlineData("{\"method\":\"echo\"} trailing")]
    [InlineData("[1,2")]
    [InlineData("nul")]
    public async Task Malformed_JSON_is_a_parse_error_with_status_500(string body)
    {
        using var rpc = new RpcHarness();
        var reply = await rpc.CallAsync(body);
        Assert.Equal(500, reply.Status);
        Assert.Equal(-32700, reply.ErrorCode);
        Assert.Null(reply.Object["id"]);
    }

    [Fact]
    public async Task Nesting_deeper_than_the_limit_is_a_parse_error()
    {
        using var rpc = new RpcHarness();
        var tooDeep = await rpc.CallAsync(new string('[', 100) + new string(']', 100));
        Assert.Equal(-32700, tooDeep.ErrorCode);
        Assert.Equal(500, tooDeep.Status);

        // Nesting within the limit parses; an array where a string is expected is then a type error.
        var nested = await rpc.CallAsync("{\"method\":\"echo\",\"params\":[" + new string('[', 10) + new string(']', 10) + "],\"id\":1}");
        Assert.Equal(-32602, nested.ErrorCode);
    }

    [Fact]
    public async Task Invalid_UTF8_outside_strings_is_a_parse_error()
    {
        using var rpc = new RpcHarness();
        var reply = Reply.From(await rpc.Dispatcher.DispatchAsync(new byte[] { (byte)'{', 0xff, (byte)'}' }, CancellationToken.None));
        Assert.Equal(-32700, reply.ErrorCode);
        Assert.Equal(500, reply.Status);
    }

    /// <summary>
    /// System.Text.Json checks UTF-8 inside strings only when a string is read, so these bodies parse; the
    /// request is still malformed and must get an error reply, not an exception out of DispatchAsync
    /// (which, in a batch, would lose the replies of every other call too).
    /// </summary>
    [Theory]
    [InlineData("""{"method":"@","params":["x"],"id":1}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"@","id":1}""")]
    [InlineData("""[{"method":"@","id":1}]""")]
    public async Task Invalid_UTF8_inside_a_method_name_gets_an_error_reply(string template)
    {
        using var rpc = new RpcHarness();
        var body = InsertInvalidUtf8(template);
        var reply = Reply.From(await rpc.Dispatcher.DispatchAsync(body, CancellationToken.None));

        Assert.NotNull(reply.Body);
        var error = reply.Json is System.Text.Json.Nodes.JsonArray array ? array[0] : reply.Json;
        Assert.Contains(Reply.ErrorCodeOf(error), new int?[] { -32700, -32600 });
    }

    /// <summary>A client's bad bytes are the client's error; -32603 would also log them as a bug in the node.</summary>
    [Theory]
    [InlineData("""{"method":"echo","params":["@"],"id":1}""")]
    [InlineData("""{"method":"echo","params":{"@":"x"},"id":1}""")]
    public async Task Invalid_UTF8_inside_params_is_reported_as_a_client_error_not_an_internal_error(string template)
    {
        using var rpc = new RpcHarness();
        var reply = Reply.From(await rpc.Dispatcher.DispatchAsync(InsertInvalidUtf8(template), CancellationToken.None));
        Assert.Contains(reply.ErrorCode, new int?[] { -32700, -32600, -32602 });
    }

    /// <summary>Replaces the '@' in <paramref name="template"/> with the bytes C3 28, which are not UTF-8.</summary>
    private static byte[] InsertInvalidUtf8(string template)
    {
        var bytes = new List<byte>(Encoding.UTF8.GetBytes(template));
        var at = bytes.IndexOf((byte)'@');
        bytes.RemoveAt(at);
        bytes.InsertRange(at, new byte[] { 0xc3, 0x28 });
        return [.. bytes];
    }

    [Theory]
    [InlineData("42")]
    [InlineData("\"echo\"")]
    [InlineData("null")]
    [InlineData("true")]
    public async Task A_top_level_value_that_is_neither_object_nor_array_is_an_invalid_request(string body)
    {
        using var rpc = new RpcHarness();
        var reply = await rpc.CallAsync(body);
        Assert.Equal(400, reply.Status);
        Assert.Equal(-32600, reply.ErrorCode);
    }

    [Fact]
    public async Task A_batch_is_answered_in_order_and_skips_notifications()
    {
        using var rpc = new RpcHarness();
        var reply = await rpc.CallAsync("""
            [
              {"jsonrpc":"2.0","method":"add","params":[1,2],"id":1},
              {"jsonrpc":"2.0","method":"touch"},
              {"jsonrpc":"2.0","method":"nosuchmethod","id":"two"},
              {"method":"echo","params":["v1"],"id":3},
              {"jsonrpc":"2.0","method":"crash"},
              {"jsonrpc":"2.0","method":"echo","params":{"text":"named"},"id":4}
            ]
            """);

        Assert.Equal(200, reply.Status);
        var items = reply.Array;
        Assert.Equal(4, items.Count);
        Assert.Equal(1, (int)items[0]!["id"]!);
        Assert.Equal(3, (long)items[0]!["result"]!);
        Assert.Equal("two", (string)items[1]!["id"]!);
        Assert.Equal(-32601, Reply.ErrorCodeOf(items[1]));
        Assert.Equal(3, (int)items[2]!["id"]!);
        Assert.Equal("v1", (string)items[2]!["result"]!);
        Assert.True(items[2]!.AsObject().ContainsKey("error"));
        Assert.Equal(4, (int)items[3]!["id"]!);
        Assert.Equal("named", (string)items[3]!["result"]!);
        Assert.Equal(1, rpc.Module.Touches);
    }

    [Fact]
    public async Task A_batch_of_only_notifications_gets_204_and_no_body()
    {
        using var rpc = new RpcHarness();
        var reply = await rpc.CallAsync("""[{"jsonrpc":"2.0","method":"touch"},{"jsonrpc":"2.0","method":"touch"}]""");
        Assert.Equal(204, reply.Status);
        Assert.Null(reply.Body);
        Assert.Equal(2, rpc.Module.Touches);
    }

    [Fact]
    public async Task An_empty_batch_is_an_invalid_request()
    {
        using var rpc = new RpcHarness();
        var reply = await rpc.CallAsync("[]");
        Assert.Equal(-32600, reply.ErrorCode);
        Assert.Equal(400, reply.Status);
    }

    [Fact]
    public async Task A_batch_entry_that_is_not_an_object_gets_its_own_invalid_request_reply()
    {
        using var rpc = new RpcHarness();
        var reply = await rpc.CallAsync("""[1, {"method":"add","params":[1,1],"id":9}, "x"]""");
        Assert.Equal(200, reply.Status);
        var items = reply.Array;
        Assert.Equal(3, items.Count);
        Assert.Equal(-32600, Reply.ErrorCodeOf(items[0]));
        Assert.Equal(2, (long)items[1]!["result"]!);
        Assert.Equal(-32600, Reply.ErrorCodeOf(items[2]));
    }

    [Fact]
    public async Task A_batch_larger_than_the_limit_is_refused_without_running_any_call()
    {
        using var rpc = new RpcHarness(maxBatchSize: 2);
        var three = await rpc.CallAsync("""[{"jsonrpc":"2.0","method":"touch"},{"jsonrpc":"2.0","method":"touch"},{"jsonrpc":"2.0","method":"touch"}]""");
        Assert.Equal(-32600, three.ErrorCode);
        Assert.Contains("limit of 2", three.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(0, rpc.Module.Touches);

        var two = await rpc.CallAsync("""[{"jsonrpc":"2.0","method":"touch"},{"jsonrpc":"2.0","method":"touch"}]""");
        Assert.Equal(204, two.Status);
        Assert.Equal(2, rpc.Module.Touches);
    }

    [Fact]
    public async Task Batch_calls_run_in_order_so_later_calls_see_earlier_effects()
    {
        using var rpc = new RpcHarness();
        var body = new StringBuilder("[");
        for (var i = 0; i < 20; i++)
            body.Append(i == 0 ? "" : ",").Append("{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[").Append(i).Append(",0],\"id\":").Append(i).Append('}');
        var reply = await rpc.CallAsync(body.Append(']').ToString());
        var items = reply.Array;
        Assert.Equal(Enumerable.Range(0, 20), items.Select(item => (int)item!["id"]!));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), items.Select(item => (long)item!["result"]!));
    }
}
