namespace Cascoin.L2.Rpc;

/// <summary>Marks an interface method as a JSON-RPC method with its wire name (lower case) and help text.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RpcMethodAttribute : Attribute
{
    public RpcMethodAttribute(string name, string description)
    {
        Name = name;
        Description = description;
    }

    public string Name { get; }

    public string Description { get; }

    /// <summary>The result's shape, shown under "Result:" in help.</summary>
    public string Returns { get; init; } = "";

    /// <summary>Callable while the node is still starting (bitcoind answers others with -28).</summary>
    public bool AllowedInWarmup { get; init; }
}

/// <summary>Help text of one parameter.</summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class RpcParamAttribute : Attribute
{
    public RpcParamAttribute(string description)
    {
        Description = description;
    }

    public string Description { get; }
}

/// <summary>
/// Declares a module interface: its category in help, and how many of its calls may run at once and
/// for how long, so one slow family of methods cannot starve the others.
/// </summary>
[AttributeUsage(AttributeTargets.Interface, AllowMultiple = false)]
public sealed class RpcModuleAttribute : Attribute
{
    public RpcModuleAttribute(string category)
    {
        Category = category;
    }

    public string Category { get; }

    public int MaxConcurrency { get; init; } = 64;

    public int TimeoutSeconds { get; init; } = 60;
}

/// <summary>Implemented by every class that serves RPC methods; its interfaces carry <see cref="RpcModuleAttribute"/>.</summary>
#pragma warning disable CA1040 // A marker interface is how modules are found in the container.
public interface IRpcModule
{
}
#pragma warning restore CA1040
