using System.Globalization;
using System.Text.Json;
using Cascoin.L2.Sequencing.Monitoring;

namespace Cascoin.L2.Rpc.Modules;

[RpcModule("monitoring")]
public interface IAuditRpc
{
    [RpcMethod("l2_getauditlog", "The audit log (doc/monitoring.md): security-relevant events kept 90 days in the node database — alerts, bans, slashing, challenges and bridge pauses on L1, starts and stops with their settings, RPC calls that move funds — oldest first, at most 1,000.",
        Returns = "[ { time, kind, subject, message } ]")]
    IReadOnlyList<AuditEntryDto> GetAuditLog([RpcParam("from this time on: unix seconds, or ISO 8601 (default: 24 hours ago)")] JsonElement? since = null,
        [RpcParam("only this kind (alert, ban, l1, start, stop, rpc)")] string? kind = null);
}

public sealed record AuditEntryDto(string Time, string Kind, string Subject, string Message);

/// <summary>The audit log over RPC.</summary>
public sealed class AuditRpcModule(AuditLog audit, TimeProvider time) : IRpcModule, IAuditRpc
{
    public IReadOnlyList<AuditEntryDto> GetAuditLog(JsonElement? since = null, string? kind = null)
    {
        var from = since is not { } value || value.ValueKind == JsonValueKind.Null ? time.GetUtcNow() - TimeSpan.FromDays(1) : Since(value);
        return audit.Since(from, kind).Select(e => new AuditEntryDto(e.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture), e.Kind, e.Subject, e.Message)).ToList();
    }

    private static DateTimeOffset Since(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds) && seconds >= 0 && seconds <= 253_402_300_799)
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (value.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            return parsed;
        throw RpcException.InvalidParameter("since must be unix seconds or an ISO 8601 time");
    }
}
