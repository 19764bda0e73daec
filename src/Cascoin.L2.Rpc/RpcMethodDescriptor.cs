using System.Reflection;

namespace Cascoin.L2.Rpc;

/// <summary>One parameter of an RPC method as help and the binder see it.</summary>
public sealed record RpcParameterDescriptor(string Name, Type Type, bool IsOptional, object? DefaultValue, string Description)
{
    /// <summary>The JSON type name used in help and in type errors.</summary>
    public string JsonTypeName => RpcParameterBinder.JsonTypeName(Type);
}

/// <summary>One callable RPC method: its wire name, help, parameters, and the module instance serving it.</summary>
public sealed class RpcMethodDescriptor
{
    internal RpcMethodDescriptor(
        RpcMethodAttribute attribute,
        RpcModuleAttribute module,
        MethodInfo method,
        object target,
        IReadOnlyList<RpcParameterDescriptor> parameters,
        RpcModuleGate gate)
    {
        Name = attribute.Name;
        Description = attribute.Description;
        Returns = attribute.Returns;
        AllowedInWarmup = attribute.AllowedInWarmup;
        Category = module.Category;
        Method = method;
        Target = target;
        Parameters = parameters;
        Gate = gate;
    }

    public string Name { get; }

    public string Description { get; }

    public string Returns { get; }

    public string Category { get; }

    public bool AllowedInWarmup { get; }

    public IReadOnlyList<RpcParameterDescriptor> Parameters { get; }

    internal MethodInfo Method { get; }

    internal object Target { get; }

    internal RpcModuleGate Gate { get; }

    /// <summary>The one-line synopsis: <c>name "arg1" ( arg2 )</c>, optional arguments in parentheses.</summary>
    public string Synopsis
    {
        get
        {
            var parts = new List<string> { Name };
            foreach (var p in Parameters)
                parts.Add(p.IsOptional ? $"( {p.Name} )" : p.Type == typeof(string) ? $"\"{p.Name}\"" : p.Name);
            return string.Join(' ', parts);
        }
    }
}
