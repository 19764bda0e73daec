namespace Cascoin.L2.Rpc.Tests;

/// <summary>How "params" (by position or by name) become arguments, and how wrong ones are reported.</summary>
public class ParameterBindingTests
{
    [Theory]
    [InlineData("echo")]
    [InlineData("ECHO")]
    [InlineData("Echo")]
    [InlineData("eChO")]
    public async Task Method_names_are_case_insensitive(string name)
    {
        using var rpc = new RpcHarness();
        var reply = await rpc.CallAsync($$"""{"method":"{{name}}","params":["ab",2],"id":1}""");
        Assert.Equal("abab", (string)reply.Object["result"]!);
    }

    [Theory]
    [InlineData("""{"text":"ab","times":3}""")]
    [InlineData("""{"times":3,"text":"ab"}""")]
    [InlineData("""{"TEXT":"ab","Times":3}""")]
    public async Task Named_parameters_bind_by_case_insensitive_name_in_any_order(string parameters)
    {
        using var rpc = new RpcHarness();
        var reply = await rpc.CallAsync($$"""{"method":"echo","params":{{parameters}},"id":1}""");
        Assert.Equal("ababab", (string)reply.Object["result"]!);
    }

    [Theory]
    [InlineData("""["ab"]""")]
    [InlineData("""["ab",null]""")]
    [InlineData("""{"text":"ab"}""")]
    [InlineData("""{"text":"ab","times":null}""")]
    public async Task An_omitted_or_null_optional_parameter_takes_its_default(string parameters)
    {
        using var rpc = new RpcHarness();
        var reply = await rpc.CallAsync($$"""{"method":"echo","params":{{parameters}},"id":1}""");
        Assert.Equal("ab", (string)reply.Object["result"]!);
    }

    [Fact]
    public async Task Optional_bool_and_nullable_parameters_take_defaults_and_given_values()
    {
        using var rpc = new RpcHarness();
        var plain = await rpc.CallAsync("""{"method":"getinfo","id":1}""");
        Assert.False((bool)plain.Object["result"]!["verbose"]!);
        var verbose = await rpc.CallAsync("""{"method":"getinfo","params":[true],"id":1}""");
        Assert.True((bool)verbose.Object["result"]!["verbose"]!);

        var unscaled = await rpc.CallAsync("""{"method":"scale","params":[1.25],"id":1}""");
        Assert.Equal(1.25m, (decimal)unscaled.Object["result"]!);
        var scaled = await rpc.CallAsync("""{"method":"scale","params":{"amount":1.25,"factor":18446744073709551615},"id":1}""");
        Assert.Equal(1.25m * ulong.MaxValue, (decimal)scaled.Object["result"]!);
    }

    [Fact]
    public async Task Params_null_or_absent_mean_no_parameters()
    {
        using var rpc = new RpcHarness();
        var absent = await rpc.CallAsync("""{"method":"getinfo","id":1}""");
        var nullParams = await rpc.CallAsync("""{"method":"getinfo","params":null,"id":1}""");
        Assert.Equal("test node", (string)absent.Object["result"]!["name"]!);
        Assert.Equal(absent.Text, nullParams.Text);
    }

    [Fact]
    public async Task An_unknown_named_parameter_is_invalid_params_naming_it()
    {
        using var rpc = new RpcHarness();
        var reply = await rpc.CallAsync("""{"method":"echo","params":{"text":"a","repeat":2},"id":1}""");
        Assert.Equal(-32602, reply.ErrorCode);
        Assert.Contains("'repeat'", reply.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(500, reply.Status);
    }

    [Fact]
    public async Task A_named_parameter_given_twice_in_different_case_is_invalid_params()
    {
        using var rpc = new RpcHarness();
        var reply = await rpc.CallAsync("""{"method":"echo","params":{"text":"a","TEXT":"b"},"id":1}""");
        Assert.Equal(-32602, reply.ErrorCode);
        Assert.Contains("twice", reply.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_positional_parameters_is_invalid_params_with_usage()
    {
        using var rpc = new RpcHarness();
        var reply = await rpc.CallAsync("""{"method":"echo","params":["a",1,2],"id":1}""");
        Assert.Equal(-32602, reply.ErrorCode);
        Assert.Contains("3 given, at most 2", reply.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("echo \"text\" ( times )", reply.ErrorMessage, StringComparison.Ordinal);

        var noParameters = await rpc.CallAsync("""{"method":"fail","params":[1],"id":1}""");
        Assert.Equal(-32602, noParameters.ErrorCode);
    }

    [Theory]
    [InlineData("""[1]""", "'b'")]
    [InlineData("""[]""", "'a'")]
    [InlineData("""{"b":1}""", "'a'")]
    [InlineData("""[null,1]""", "'a'")]
    [InlineData("""{"a":1,"b":null}""", "'b'")]
    public async Task A_missing_required_parameter_is_invalid_params_naming_it(string parameters, string named)
    {
        using var rpc = new RpcHarness();
        var reply = await rpc.CallAsync($$"""{"method":"add","params":{{parameters}},"id":1}""");
        Assert.Equal(-32602, reply.ErrorCode);
        Assert.Contains("missing required parameter " + named, reply.ErrorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""["a","2"]""", "'times'")]
    [InlineData("""["a",1.5]""", "'times'")]
    [InlineData("""["a",1099511627776]""", "'times'")]
    [InlineData("""["a",-2147483649]""", "'times'")]
    [InlineData("""["a",true]""", "'times'")]
    [InlineData("""["a",[1]]""", "'times'")]
    [InlineData("""["a",{}]""", "'times'")]
    [InlineData("""[5]""", "'text'")]
    [InlineData("""[true]""", "'text'")]
    [InlineData("""[{"x":1}]""", "'text'")]
    [InlineData("""{"text":"a","times":"3"}""", "'times'")]
    public async Task A_value_of_the_wrong_type_is_invalid_params_naming_the_parameter(string parameters, string named)
    {
        using var rpc = new RpcHarness();
        var reply = await rpc.CallAsync($$"""{"method":"echo","params":{{parameters}},"id":1}""");
        Assert.Equal(-32602, reply.ErrorCode);
        Assert.Contains("parameter " + named + " must be of type", reply.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Type_errors_say_what_was_given()
    {
        using var rpc = new RpcHarness();
        var text = await rpc.CallAsync("""{"method":"echo","params":["a","2"],"id":1}""");
        Assert.Contains("must be of type number, got string", text.ErrorMessage, StringComparison.Ordinal);

        var fraction = await rpc.CallAsync("""{"method":"echo","params":["a",1.5],"id":1}""");
        Assert.Contains("got 1.5, which is out of range or not an integer", fraction.ErrorMessage, StringComparison.Ordinal);

        var number = await rpc.CallAsync("""{"method":"echo","params":[5],"id":1}""");
        Assert.Contains("must be of type string, got number", number.ErrorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(long.MaxValue, 0L, long.MaxValue)]
    [InlineData(long.MinValue, 0L, long.MinValue)]
    [InlineData(-5L, 3L, -2L)]
    public async Task Long_parameters_take_the_whole_64_bit_range(long a, long b, long sum)
    {
        using var rpc = new RpcHarness();
        var reply = await rpc.CallAsync($$"""{"method":"add","params":[{{a}},{{b}}],"id":1}""");
        Assert.Equal(sum, (long)reply.Object["result"]!);
    }

    [Fact]
    public async Task A_long_just_outside_the_64_bit_range_is_a_type_error()
    {
        using var rpc = new RpcHarness();
        var reply = await rpc.CallAsync("""{"method":"add","params":[9223372036854775808,0],"id":1}""");
        Assert.Equal(-32602, reply.ErrorCode);
        Assert.Contains("'a'", reply.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_negative_number_for_an_unsigned_parameter_is_a_type_error()
    {
        using var rpc = new RpcHarness();
        var reply = await rpc.CallAsync("""{"method":"scale","params":[1,-1],"id":1}""");
        Assert.Equal(-32602, reply.ErrorCode);
        Assert.Contains("'factor'", reply.ErrorMessage, StringComparison.Ordinal);
    }
}
