namespace Cascoin.L2.Rpc.Tests;

/// <summary>The method table found on module interfaces, and the help generated from it.</summary>
public class MethodTableTests
{
    private static readonly string[] TestMethods = ["add", "crash", "echo", "fail", "fee", "getinfo", "hold", "ratio", "scale", "slow", "touch"];

    [Fact]
    public void The_table_holds_every_declared_method_and_the_built_in_help_and_discovery()
    {
        using var rpc = new RpcHarness();
        var names = rpc.Table.Methods.Select(m => m.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(TestMethods.Append("help").Append("rpc.discover").Order(StringComparer.Ordinal), names);
        Assert.True(rpc.Table.TryGet("HELP", out var help));
        Assert.Equal("control", help.Category);
        Assert.True(help.AllowedInWarmup);
        Assert.False(rpc.Table.TryGet("nosuchmethod", out _));
    }

    [Fact]
    public void Descriptors_carry_parameter_names_types_optionality_and_defaults()
    {
        using var rpc = new RpcHarness();
        Assert.True(rpc.Table.TryGet("echo", out var echo));
        Assert.Equal("test", echo.Category);
        Assert.Equal(2, echo.Parameters.Count);
        Assert.Equal(("text", typeof(string), false), (echo.Parameters[0].Name, echo.Parameters[0].Type, echo.Parameters[0].IsOptional));
        Assert.Equal(("times", typeof(int), true, (object?)1), (echo.Parameters[1].Name, echo.Parameters[1].Type, echo.Parameters[1].IsOptional, echo.Parameters[1].DefaultValue));
        Assert.Equal("echo \"text\" ( times )", echo.Synopsis);

        // A CancellationToken is supplied by the dispatcher, not by the caller.
        Assert.True(rpc.Table.TryGet("slow", out var slow));
        Assert.Empty(slow.Parameters);
        Assert.Equal("slow", slow.Synopsis);
    }

    [Fact]
    public void Help_lists_every_method_grouped_under_its_category()
    {
        using var rpc = new RpcHarness();
        var help = rpc.Table.Help(null);
        var lines = help.Split('\n');

        Assert.Equal(["== Control ==", "== Info ==", "== Slow ==", "== Test =="], lines.Where(l => l.StartsWith("==", StringComparison.Ordinal)));
        foreach (var method in rpc.Table.Methods)
        {
            var line = Array.IndexOf(lines, method.Synopsis);
            Assert.True(line >= 0, $"help lacks the line '{method.Synopsis}'");
            var header = lines.Take(line).Last(l => l.StartsWith("==", StringComparison.Ordinal));
            Assert.Equal($"== {char.ToUpperInvariant(method.Category[0])}{method.Category[1..]} ==", header);
        }
        Assert.Contains("add a b", lines);
        Assert.Contains("help ( command )", lines);
        Assert.Equal(help, rpc.Table.Help(""));
    }

    [Fact]
    public async Task Help_for_one_method_shows_synopsis_description_arguments_and_result()
    {
        using var rpc = new RpcHarness();
        var reply = await rpc.CallAsync("""{"method":"help","params":["echo"],"id":1}""");
        var text = (string)reply.Object["result"]!;

        Assert.Equal(
            """
            echo "text" ( times )

            Returns the text, repeated.

            Arguments:
            1. text (string, required) The text to return
            2. times (number, optional, default=1) How many times

            Result:
            "text" (string) the text, times over
            """.ReplaceLineEndings("\n"),
            text);
    }

    [Fact]
    public async Task Help_by_name_is_case_insensitive_takes_a_named_parameter_and_reports_unknown_commands()
    {
        using var rpc = new RpcHarness();
        var byName = await rpc.CallAsync("""{"method":"help","params":{"command":"ADD"},"id":1}""");
        Assert.StartsWith("add a b\n\nAdds two integers.", (string)byName.Object["result"]!, StringComparison.Ordinal);

        var helpHelp = await rpc.CallAsync("""{"method":"help","params":["help"],"id":1}""");
        Assert.Contains("1. command (string, optional, default=none) The command to get help on", (string)helpHelp.Object["result"]!, StringComparison.Ordinal);

        var unknown = await rpc.CallAsync("""{"method":"help","params":["nosuchmethod"],"id":1}""");
        Assert.Equal("help: unknown command: nosuchmethod", (string)unknown.Object["result"]!);

        var all = await rpc.CallAsync("""{"method":"help","id":1}""");
        Assert.Equal(rpc.Table.Help(null), (string)all.Object["result"]!);
    }

    [RpcModule("bad")]
    public interface IUpperCaseRpc
    {
        [RpcMethod("getThing", "Not lower case.")]
        int GetThing();
    }

    [RpcModule("bad")]
    public interface IUnsupportedParameterRpc
    {
        [RpcMethod("takesdate", "A parameter type with no JSON binding.")]
        int TakesDate(DateTime moment);
    }

    [RpcModule("bad")]
    public interface IUndeclaredRpc
    {
        [RpcMethod("declared", "Declared.")]
        int Declared();

        int NotDeclared();
    }

    [RpcModule("dup")]
    public interface IDuplicateEchoRpc
    {
        [RpcMethod("echo", "Clashes with the test module's echo.")]
        string Echo(string text, int times = 1);
    }

    public sealed class BadModule : IRpcModule, IUpperCaseRpc
    {
        public int GetThing() => 1;
    }

    public sealed class DateModule : IRpcModule, IUnsupportedParameterRpc
    {
        public int TakesDate(DateTime moment) => moment.Year;
    }

    public sealed class UndeclaredModule : IRpcModule, IUndeclaredRpc
    {
        public int Declared() => 1;

        public int NotDeclared() => 2;
    }

    public sealed class DuplicateModule : IRpcModule, IDuplicateEchoRpc
    {
        public string Echo(string text, int times = 1) => text;
    }

    [Fact]
    public void Declaration_mistakes_are_refused_at_start_up()
    {
        Assert.Contains("lower case", Assert.Throws<InvalidOperationException>(() => new RpcMethodTable([new BadModule()])).Message, StringComparison.Ordinal);
        Assert.Contains("no JSON binding", Assert.Throws<InvalidOperationException>(() => new RpcMethodTable([new DateModule()])).Message, StringComparison.Ordinal);
        Assert.Contains("lacks [RpcMethod]", Assert.Throws<InvalidOperationException>(() => new RpcMethodTable([new UndeclaredModule()])).Message, StringComparison.Ordinal);
        Assert.Contains("declared twice", Assert.Throws<InvalidOperationException>(() => new RpcMethodTable([new TestModule(), new DuplicateModule()])).Message, StringComparison.Ordinal);
    }
}
