using Cascoin.L2.Sequencing.Monitoring;
using Cascoin.L2.Storage;
using Cascoin.L2.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Cascoin.L2.Sequencing.Tests.Monitoring;

/// <summary>The audit log on a real RocksDB: in time order, filtered by time and kind, kept 90 days, across restarts.</summary>
public sealed class AuditLogTests
{
    private static readonly DatabaseOptions Options = new() { SyncWrites = false, BlockCacheBytes = 8 << 20 };

    [Fact]
    public void Entries_come_back_in_time_order_by_time_and_kind_and_survive_a_restart()
    {
        using var directory = TestDirectory.Create("audit-log");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var start = time.GetUtcNow();
        using (var database = NodeDatabase.Open(directory.Combine("db"), Options, NullLogger.Instance))
        {
            var audit = new AuditLog(database, time);
            audit.Record("start", "regtest", "cascoind started");
            audit.Record("rpc", "l2_withdraw", "done");
            time.Advance(TimeSpan.FromMinutes(5));
            audit.Record("alert", "withdrawal-surge", "critical: 5 CAS burned");
            audit.Record("rpc", "l2_deposit", "refused with error -26");
        }
        using (var database = NodeDatabase.Open(directory.Combine("db"), Options, NullLogger.Instance))
        {
            var audit = new AuditLog(database, time);
            Assert.Equal(["start", "rpc", "alert", "rpc"], audit.Since(start).Select(e => e.Kind));
            Assert.Equal(["l2_withdraw", "l2_deposit"], audit.Since(start, "RPC").Select(e => e.Subject));
            var later = audit.Since(start + TimeSpan.FromMinutes(1));
            Assert.Equal(["withdrawal-surge", "l2_deposit"], later.Select(e => e.Subject));
            Assert.Equal(start + TimeSpan.FromMinutes(5), later[0].Time);
            Assert.Equal("critical: 5 CAS burned", later[0].Message);
            Assert.Single(audit.Since(start, max: 1));
            Assert.Empty(audit.Since(start + TimeSpan.FromDays(1)));
        }
        directory.Succeeded();
    }

    [Fact]
    public void Entries_older_than_90_days_are_deleted_as_new_ones_arrive()
    {
        using var directory = TestDirectory.Create("audit-log-retention");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var database = NodeDatabase.Open(directory.Combine("db"), Options, NullLogger.Instance);
        var audit = new AuditLog(database, time);
        audit.Record("ban", "10.0.0.1", "banned");
        time.Advance(TimeSpan.FromDays(60));
        audit.Record("ban", "10.0.0.2", "banned");
        time.Advance(TimeSpan.FromDays(31));
        audit.Record("ban", "10.0.0.3", "banned");
        Assert.Equal(["10.0.0.2", "10.0.0.3"], audit.Since(DateTimeOffset.UnixEpoch).Select(e => e.Subject));
        directory.Succeeded();
    }
}
