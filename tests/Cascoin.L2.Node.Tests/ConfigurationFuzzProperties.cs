using Cascoin.L2.Node.Configuration;
using Cascoin.L2.Primitives.Configuration;
using Cascoin.L2.TestKit;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cascoin.L2.Node.Tests;

/// <summary>A command line for the fuzzer (the -datadir argument is added by the property).</summary>
public sealed record ArgumentList(string[] Args)
{
    public override string ToString() => string.Join(" ", Args.Select(a => "'" + a + "'"));
}

/// <summary>The text of a root cascoin.conf and, if any, of the regtest folder's own cascoin.conf.</summary>
public sealed record ConfFiles(string Root, string? Regtest)
{
    public override string ToString() => $"root:\n{Root}\nregtest:\n{Regtest ?? "(none)"}";
}

public static class ConfigurationGenerators
{
    private static readonly string[] Names =
        [.. CommonOptions.All.Concat(NodeOptions.All).Select(s => s.Name),
         .. CommonOptions.All.Concat(NodeOptions.All).Where(s => s.Kind == OptionKind.Flag).Select(s => "no" + s.Name),
         "nodebug", "noaddnode", "frobnicate", "h", "?", "no", "", "RPCPORT", "rpc port"];

    private static readonly string[] Values =
    [
        "", "0", "1", "2", "-1", "+1", "true", "no", "maybe", "65535", "65536", "99999999999999999999", "1.5", "abc",
        "0x10", "0x", "18446744073709551615", "18446744073709551616", "1.2.3.4", "1.2.3.4:8333", "[::1]:5", "[::1]",
        "::1", "10.0.0.0/8", "10.0.0.0/33", "10.0.0.0/255.0.255.0", "fe80::/10", "rpc", "db", "all", "none", "foo",
        "main", "test", "regtest", "testnet", "a:b", "cascoin.conf", "missing.conf", "regtest/cascoin.conf",
        "../cascoin.conf", "/nonexistent-cascoin-dir", "\0", " ", "=", "#x", "é", "\t1",
    ];

    private static readonly Gen<string> Option =
        Gen.Elements("-", "--", "", "---")
            .SelectMany(dash => Gen.Elements(Names)
                .SelectMany(name => Gen.Frequency((1, Gen.Constant<string?>(null)), (3, Gen.Elements(Values).Select(v => (string?)v)))
                    .Select(value => value is null ? dash + name : dash + name + "=" + value)));

    public static Arbitrary<ArgumentList> Arguments() =>
        Gen.Choose(0, 8).SelectMany(n => Gen.ArrayOf(Option, n)).Select(a => new ArgumentList(a)).ToArbitrary();

    private static readonly Gen<string> Line =
        Gen.Frequency(
            (6, Gen.Elements(Names).SelectMany(name => Gen.Elements(Values).Select(value => name + "=" + value))),
            (1, Gen.Elements("[main]", "[test]", "[regtest]", "[foo]", "[", "[]", "[ regtest ]", "]")),
            (1, Gen.Elements("", "   ", "# comment", "#", "=1", "rpcport", " rpcport = 5 # c", "\r", "rpcpassword=a#b")));

    private static readonly Gen<string> File =
        Gen.Choose(0, 8).SelectMany(n => Gen.ArrayOf(Line, n)).Select(lines => string.Join("\n", lines));

    public static Arbitrary<ConfFiles> Files() =>
        File.SelectMany(root => Gen.Frequency((1, Gen.Constant<string?>(null)), (1, File.Select(f => (string?)f)))
            .Select(regtest => new ConfFiles(root, regtest))).ToArbitrary();
}

/// <summary>"Random configuration never crashes": it is accepted, or refused with a <see cref="ConfigurationException"/>.</summary>
[Properties(Arbitrary = [typeof(ConfigurationGenerators)])]
public sealed class ConfigurationFuzzProperties : IDisposable
{
    private readonly TestDirectory _dataDirectory = TestDirectory.Create("config-fuzz");
    private bool _anyFailure;

    [Property(MaxTest = 300)]
    public bool Random_command_lines_only_ever_fail_with_ConfigurationException(ArgumentList arguments) =>
        Check(arguments.Args);

    [Property(MaxTest = 200)]
    public bool Random_configuration_files_only_ever_fail_with_ConfigurationException(ConfFiles files, ArgumentList arguments)
    {
        System.IO.File.WriteAllText(_dataDirectory.Combine(CommonOptions.ConfFileName), files.Root);
        var regtestFolder = _dataDirectory.Combine("regtest");
        var regtestConf = Path.Combine(regtestFolder, CommonOptions.ConfFileName);
        if (files.Regtest is null)
        {
            if (System.IO.File.Exists(regtestConf))
                System.IO.File.Delete(regtestConf);
        }
        else
        {
            Directory.CreateDirectory(regtestFolder);
            System.IO.File.WriteAllText(regtestConf, files.Regtest);
        }
        // Half of the cases run on regtest so the network folder's file is read too.
        return Check(files.Root.Length % 2 == 0 ? ["-regtest", .. arguments.Args] : arguments.Args);
    }

    private bool Check(string[] args)
    {
        var passed = false;
        try
        {
            NodeSettings settings;
            try
            {
                settings = NodeSettings.From(LoadedSettings.Load([$"-datadir={_dataDirectory.Path}", .. args], NodeOptions.All, allowPositional: false, strictFiles: true));
            }
            catch (ConfigurationException ex)
            {
                passed = ex.Message.Length > 0;
                return passed;
            }
            // Accepted settings are usable: valid ports, at least one RPC endpoint, directories inside the data directory.
            passed = settings.RpcPort is >= 1 and <= 65535
                && settings.P2PPort is >= 1 and <= 65535
                && settings.RpcEndpoints.Count > 0
                && settings.NetworkDirectory.StartsWith(settings.DataDirectory, StringComparison.Ordinal)
                && settings.L2ChainId is null or > 0
                && settings.DbCacheMiB is >= 4 and <= 1 << 20;
            return passed;
        }
        finally
        {
            // Any failing case (even one tried while shrinking) keeps the data directory for inspection.
            _anyFailure |= !passed;
        }
    }

    public void Dispose()
    {
        if (!_anyFailure)
            _dataDirectory.Succeeded();
        _dataDirectory.Dispose();
    }
}
