using Cascoin.L2.Cli;
using Cascoin.L2.Primitives.Configuration;

// cascoin-cli: send one JSON-RPC command to cascoind and print the result like bitcoin-cli.
LoadedSettings loaded;
try
{
    loaded = LoadedSettings.Load(args, CliOptions.All, allowPositional: true, strictFiles: false);
}
catch (ConfigurationException ex)
{
    await Console.Error.WriteLineAsync($"error: {ex.Message}");
    return 1;
}
catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
{
    await Console.Error.WriteLineAsync($"error: reading configuration: {ex.Message}");
    return 1;
}

var settings = loaded.Settings;
var version = "Cascoin L2 RPC client version v" + typeof(CliOptions).Assembly.GetName().Version?.ToString(3);
if (loaded.VersionRequested && !loaded.HelpRequested)
{
    Console.WriteLine(version);
    return 0;
}
if (loaded.HelpRequested)
{
    Console.Write(HelpText.Format(
        version + "\n\n" +
        "Usage:  cascoin-cli [options] <command> [params]  Send command to cascoind\n" +
        "or:     cascoin-cli [options] -named <command> [name=value]...  Send command with named arguments\n" +
        "or:     cascoin-cli [options] help  List commands\n" +
        "or:     cascoin-cli [options] help <command>  Get help for a command\n" +
        "or:     cascoin-cli [options] " + OfflineTransaction.SignUsage + "\n" +
        "        Build and sign a transfer here, with no node: prints the raw transaction for l2_sendrawtransaction\n" +
        "or:     cascoin-cli [options] " + OfflineTransaction.SealUsage + "\n" +
        "        Build an encrypted transfer here, with no node: prints the raw envelope for l2_sendrawtransaction\n" +
        "or:     cascoin-cli [options] " + Subscription.Usage + "\n" +
        "        Subscribe over the node's WebSocket (l2_subscribe) and print each notification as a line of JSON\n\n" +
        "Arguments that parse as JSON are sent as JSON (numbers, true/false, arrays, objects); others as strings.",
        CommonOptions.All.Concat(CliOptions.All)));
    return 0;
}

var arguments = settings.Positional.ToList();
if (settings.GetFlag("stdin", false))
{
    while (await Console.In.ReadLineAsync() is { } line)
        arguments.Add(line);
}
if (arguments.Count == 0)
{
    await Console.Error.WriteLineAsync("error: too few parameters (need at least command); see cascoin-cli -help");
    return 1;
}

var method = arguments[0];
// The commands that ask no node: a transaction or an envelope built and signed here.
if (method is OfflineTransaction.SignCommand or OfflineTransaction.SealCommand)
    return OfflineTransaction.Run(method, arguments.Skip(1).ToList(), loaded.Network, Console.Out, Console.Error);

if (settings.GetFlag("l2", false) && !method.StartsWith("l2_", StringComparison.OrdinalIgnoreCase))
    method = "l2_" + method;

var host = settings.GetText("rpcconnect", "127.0.0.1");
var port = (int)settings.GetInteger("rpcport", loaded.Network.DefaultRpcPort);
var user = settings.GetText("rpcuser");
var password = settings.GetText("rpcpassword");
var cookieFile = settings.GetText("rpccookiefile") is { } cookie
    ? Path.Combine(loaded.NetworkDirectory, cookie)
    : Path.Combine(loaded.NetworkDirectory, ".cookie");
string? Credentials()
{
    if (password is not null)
        return (user ?? "") + ":" + password;
    try
    {
        return File.ReadAllText(cookieFile).Trim();
    }
    catch (IOException)
    {
        return null;
    }
    catch (UnauthorizedAccessException)
    {
        return null;
    }
}

var hostPart = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
if (method == Subscription.Command)
{
    using var interrupted = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        interrupted.Cancel();
    };
    if (!Uri.TryCreate($"ws://{hostPart}:{port}/ws", UriKind.Absolute, out var endpoint))
    {
        await Console.Error.WriteLineAsync($"error: invalid -rpcconnect address '{host}'");
        return 1;
    }
    return await Subscription.RunAsync(arguments.Skip(1).ToList(), endpoint, Credentials(), Console.Out, Console.Error, interrupted.Token);
}

try
{
    var request = CliRequest.Build(method, arguments.Skip(1).ToList(), settings.GetFlag("named", false));
    var connection = new RpcConnection(
        new Uri($"http://{hostPart}:{port}/"),
        Credentials,
        TimeSpan.FromSeconds(settings.GetInteger("rpcclienttimeout", 900)));
    var reply = await connection.SendAsync(request, settings.GetFlag("rpcwait", false), TimeSpan.FromSeconds(settings.GetInteger("rpcwaittimeout", 0)));
    using (reply.Body)
        return CliOutput.Write(reply, Console.Out, Console.Error);
}
catch (CliException ex)
{
    await Console.Error.WriteLineAsync($"error: {ex.Message}");
    return 1;
}
catch (UriFormatException)
{
    await Console.Error.WriteLineAsync($"error: invalid -rpcconnect address '{host}'");
    return 1;
}
catch (TaskCanceledException)
{
    await Console.Error.WriteLineAsync("error: timeout waiting for the server's reply (see -rpcclienttimeout)");
    return 1;
}
