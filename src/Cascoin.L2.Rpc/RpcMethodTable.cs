using System.Reflection;
using System.Text;

namespace Cascoin.L2.Rpc;

/// <summary>
/// Every RPC method of the node, found once at start-up on the modules' interfaces. Lookup ignores
/// case (<c>l2_getBalance</c> = <c>l2_getbalance</c>); <c>help</c> and <c>rpc.discover</c> are built in and generated from the declarations.
/// </summary>
public sealed class RpcMethodTable : IDisposable
{
    private readonly Dictionary<string, RpcMethodDescriptor> _methods = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<RpcModuleGate> _gates = [];

    /// <param name="modules">Every module of the node.</param>
    /// <param name="nodeVersion">The node's version, as rpc.discover's document states it.</param>
    public RpcMethodTable(IEnumerable<IRpcModule> modules, string nodeVersion = "0.0.0")
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var module in modules.Append(new HelpModule(this)).Append(new OpenRpc.DiscoveryModule(this, nodeVersion)))
            Register(module);
    }

    public IEnumerable<RpcMethodDescriptor> Methods => _methods.Values.OrderBy(m => m.Category, StringComparer.Ordinal).ThenBy(m => m.Name, StringComparer.Ordinal);

    public bool TryGet(string name, out RpcMethodDescriptor method) => _methods.TryGetValue(name, out method!);

    private void Register(IRpcModule module)
    {
        foreach (var contract in module.GetType().GetInterfaces())
        {
            var moduleAttribute = contract.GetCustomAttribute<RpcModuleAttribute>();
            if (moduleAttribute is null)
                continue;
            var gate = new RpcModuleGate(moduleAttribute.Category, moduleAttribute.MaxConcurrency, TimeSpan.FromSeconds(moduleAttribute.TimeoutSeconds));
            _gates.Add(gate);
            var map = module.GetType().GetInterfaceMap(contract);
            for (var i = 0; i < map.InterfaceMethods.Length; i++)
            {
                var declared = map.InterfaceMethods[i];
                var attribute = declared.GetCustomAttribute<RpcMethodAttribute>()
                    ?? throw new InvalidOperationException($"{contract.Name}.{declared.Name} lacks [RpcMethod]");
                if (attribute.Name != attribute.Name.ToLowerInvariant())
                    throw new InvalidOperationException($"RPC method name '{attribute.Name}' must be lower case");
                var parameters = Describe(declared);
                var descriptor = new RpcMethodDescriptor(attribute, moduleAttribute, map.TargetMethods[i], module, parameters, gate);
                if (!_methods.TryAdd(attribute.Name, descriptor))
                    throw new InvalidOperationException($"RPC method '{attribute.Name}' is declared twice");
            }
        }
    }

    private static List<RpcParameterDescriptor> Describe(MethodInfo method)
    {
        var result = new List<RpcParameterDescriptor>();
        foreach (var parameter in method.GetParameters())
        {
            if (parameter.ParameterType == typeof(CancellationToken) || RpcParameterBinder.IsInjected(parameter.ParameterType))
                continue;
            if (!RpcParameterBinder.IsSupported(parameter.ParameterType))
                throw new InvalidOperationException($"{method.Name}: parameter type {parameter.ParameterType} has no JSON binding");
            var help = parameter.GetCustomAttribute<RpcParamAttribute>()?.Description ?? "";
            result.Add(new RpcParameterDescriptor(
                parameter.Name!.ToLowerInvariant(),
                parameter.ParameterType,
                parameter.IsOptional,
                parameter.HasDefaultValue ? parameter.DefaultValue : null,
                help));
        }
        return result;
    }

    /// <summary>bitcoind's help: the list of synopses by category, or one method's full text.</summary>
    public string Help(string? command)
    {
        if (string.IsNullOrEmpty(command))
        {
            var text = new StringBuilder();
            foreach (var category in Methods.GroupBy(m => m.Category))
            {
                if (text.Length > 0)
                    text.Append('\n');
                text.Append("== ").Append(Capitalize(category.Key)).Append(" ==\n");
                foreach (var method in category)
                    text.Append(method.Synopsis).Append('\n');
            }
            return text.ToString().TrimEnd('\n');
        }
        if (!TryGet(command, out var found))
            return $"help: unknown command: {command}";
        var full = new StringBuilder(found.Synopsis).Append("\n\n").Append(found.Description).Append('\n');
        if (found.Parameters.Count > 0)
        {
            full.Append("\nArguments:\n");
            var position = 1;
            foreach (var p in found.Parameters)
            {
                var required = p.IsOptional ? $"optional, default={FormatDefault(p.DefaultValue)}" : "required";
                full.Append(position++).Append(". ").Append(p.Name).Append(" (").Append(p.JsonTypeName).Append(", ").Append(required).Append(") ")
                    .Append(p.Description).Append('\n');
            }
        }
        if (found.Returns.Length > 0)
            full.Append("\nResult:\n").Append(found.Returns).Append('\n');
        return full.ToString().TrimEnd('\n');
    }

    private static string FormatDefault(object? value) => value switch
    {
        null => "none",
        bool b => b ? "true" : "false",
        string s => "\"" + s + "\"",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "none",
    };

    private static string Capitalize(string category) =>
        category.Length == 0 ? category : char.ToUpperInvariant(category[0]) + category[1..];

    public void Dispose()
    {
        foreach (var gate in _gates)
            gate.Dispose();
    }

    [RpcModule("control", MaxConcurrency = 16, TimeoutSeconds = 10)]
    private interface IHelpRpc
    {
        [RpcMethod("help", "List all commands, or get help for a specified command.", AllowedInWarmup = true)]
        string Help([RpcParam("The command to get help on")] string? command = null);
    }

    private sealed class HelpModule(RpcMethodTable table) : IRpcModule, IHelpRpc
    {
        public string Help(string? command = null) => table.Help(command);
    }
}
