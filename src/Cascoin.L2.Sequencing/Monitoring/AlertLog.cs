using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Sequencing.Monitoring;

/// <summary>
/// The alerts this node raised, newest last: bounded (the oldest go first), each logged as it is raised
/// and announced (<see cref="Raised"/>: the WebSocket <c>alerts</c> subscription, metrics, the audit
/// log). A condition that persists is raised once per <see cref="Cooldown"/> for the same kind and
/// subject, so a monitor that checks every few seconds does not flood its readers.
/// </summary>
public sealed class AlertLog(TimeProvider time, ILogger<AlertLog> logger)
{
    /// <summary>How many alerts are kept.</summary>
    public const int Capacity = 1_000;

    private readonly Lock _lock = new();
    private readonly LinkedList<SecurityAlert> _alerts = new();
    private readonly Dictionary<(string Kind, string Subject), DateTimeOffset> _lastRaised = [];
    private ulong _nextId = 1;

    public TimeSpan Cooldown { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Raised (outside the lock) for every new alert.</summary>
    public event Action<SecurityAlert>? Raised;

    /// <summary>
    /// Raises an alert about <paramref name="subject"/> (what the same condition is about: an address,
    /// an anchor, "bridge"), unless one of that kind and subject was raised within the cooldown.
    /// </summary>
    /// <returns>The alert, or null when the cooldown held it back.</returns>
    public SecurityAlert? Raise(AlertSeverity severity, string kind, string subject, string message, IReadOnlyDictionary<string, string>? evidence = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(message);
        var now = time.GetUtcNow();
        SecurityAlert alert;
        lock (_lock)
        {
            if (_lastRaised.TryGetValue((kind, subject), out var last) && now - last < Cooldown)
                return null;
            _lastRaised[(kind, subject)] = now;
            alert = new SecurityAlert(_nextId++, now, severity, kind, message, evidence ?? new Dictionary<string, string>());
            _alerts.AddLast(alert);
            if (_alerts.Count > Capacity)
                _alerts.RemoveFirst();
            if (_lastRaised.Count > 4 * Capacity)
                Forget(now);
        }
        var level = severity switch
        {
            AlertSeverity.Critical => LogLevel.Critical,
            AlertSeverity.Warning => LogLevel.Warning,
            _ => LogLevel.Information,
        };
        logger.Log(level, "ALERT {Id} {Severity} {Kind}: {Message}", alert.Id, severity.ToString().ToLowerInvariant(), kind, message);
        Raised?.Invoke(alert);
        return alert;
    }

    /// <summary>The kept alerts after <paramref name="afterId"/> of at least <paramref name="minimum"/> severity, oldest first.</summary>
    public IReadOnlyList<SecurityAlert> Since(ulong afterId = 0, AlertSeverity minimum = AlertSeverity.Info)
    {
        lock (_lock)
            return _alerts.Where(a => a.Id > afterId && a.Severity >= minimum).ToList();
    }

    /// <summary>How many alerts were raised since the node started (the cooldown held back none of these).</summary>
    public ulong Count
    {
        get
        {
            lock (_lock)
                return _nextId - 1;
        }
    }

    /// <summary>Drops the cooldown marks that have run out (the map stays bounded however many subjects there are).</summary>
    private void Forget(DateTimeOffset now)
    {
        foreach (var key in _lastRaised.Where(p => now - p.Value >= Cooldown).Select(p => p.Key).ToList())
            _lastRaised.Remove(key);
    }
}
