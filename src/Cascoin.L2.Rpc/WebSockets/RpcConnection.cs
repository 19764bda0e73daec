namespace Cascoin.L2.Rpc.WebSockets;

/// <summary>
/// The WebSocket connection a call came over, given to methods that declare a parameter of this
/// type (as a <see cref="CancellationToken"/> is): over HTTP they get null. Subscriptions live and
/// die with their connection.
/// </summary>
public abstract class RpcConnection
{
    /// <summary>Starts sending <paramref name="topic"/>'s notifications on this connection; returns the subscription id.</summary>
    public abstract string Subscribe(SubscriptionTopic topic);

    /// <summary>Stops the subscription <paramref name="id"/> of this connection; false when it has none by that id.</summary>
    public abstract bool Unsubscribe(string id);
}
