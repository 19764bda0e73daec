namespace Cascoin.L2.Node.Hosting;

/// <summary>The node could not start: the message tells the operator what to change.</summary>
public sealed class NodeStartupException : Exception
{
    public NodeStartupException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
