namespace Cascoin.L2.Node.Hosting;

/// <summary>The node could not start: the message tells the operator what to change.</summary>
public class NodeStartupException : Exception
{
    public NodeStartupException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}

/// <summary>
/// -l2chainid names a chain this node's settlement chain does not hold (yet). With peers to sync from,
/// the launcher first syncs the settlement chain and then starts the L2 chain; alone, it is fatal.
/// </summary>
public sealed class ChainNotDeployedException(ulong chainId, string message) : NodeStartupException(message)
{
    public ulong ChainId { get; } = chainId;
}
