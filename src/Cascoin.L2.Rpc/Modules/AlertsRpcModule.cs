using System.Globalization;
using Cascoin.L2.Sequencing.Monitoring;

namespace Cascoin.L2.Rpc.Modules;

[RpcModule("monitoring")]
public interface IAlertsRpc
{
    [RpcMethod("l2_getalerts", "The alerts this node's monitors raised (doc/monitoring.md), oldest first: the last 1,000 kept, each raised once per 10 minutes for the same kind and subject. Also on the WebSocket (l2_subscribe alerts), in the log and in the metrics.",
        Returns = "[ { id, time, severity, kind, message, evidence: { name: value } } ]")]
    IReadOnlyList<AlertDto> GetAlerts([RpcParam("only alerts after this id (default 0: all kept)")] ulong since = 0,
        [RpcParam("the least severity: info (default), warning or critical")] string severity = "info");
}

public sealed record AlertDto(ulong Id, string Time, string Severity, string Kind, string Message, IReadOnlyDictionary<string, string> Evidence)
{
    public static AlertDto Of(SecurityAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return new AlertDto(alert.Id, alert.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture), alert.Severity.ToString().ToLowerInvariant(),
            alert.Kind, alert.Message, alert.Evidence);
    }
}

/// <summary>The alert log over RPC.</summary>
public sealed class AlertsRpcModule(AlertLog alerts) : IRpcModule, IAlertsRpc
{
    public IReadOnlyList<AlertDto> GetAlerts(ulong since = 0, string severity = "info")
    {
        if (!Enum.TryParse<AlertSeverity>(severity, ignoreCase: true, out var minimum) || !Enum.IsDefined(minimum) || int.TryParse(severity, out _))
            throw RpcException.InvalidParameter($"severity must be info, warning or critical, not \"{severity}\"");
        return alerts.Since(since, minimum).Select(AlertDto.Of).ToList();
    }
}
