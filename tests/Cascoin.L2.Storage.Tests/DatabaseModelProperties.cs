using Cascoin.L2.TestKit;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Cascoin.L2.Storage.Tests.TestDatabases;

namespace Cascoin.L2.Storage.Tests;

/// <summary>One write in a batch: a put of <see cref="Value"/> or, when it is null, a delete.</summary>
public sealed record DbOperation(byte[] Key, byte[]? Value)
{
    public override string ToString() =>
        Value is null ? $"del {Convert.ToHexStringLower(Key)}" : $"put {Convert.ToHexStringLower(Key)}={Convert.ToHexStringLower(Value)}";
}

/// <summary>A sequence of write batches, each committed on its own.</summary>
public sealed record BatchScript(DbOperation[][] Batches)
{
    public override string ToString() =>
        string.Join(" | ", Batches.Select(b => "[" + string.Join(", ", b.Select(o => o.ToString())) + "]"));
}

public static class StorageGenerators
{
    /// <summary>The one key prefix the property writes under, so the schema_version record stays out of the model.</summary>
    public const byte Prefix = 0x10;

    // Few distinct bytes, the order-sensitive ones among them, so keys collide and prefix each other often.
    private static readonly Gen<byte> KeyByte = Gen.Elements<byte>(0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff);
    private static readonly Gen<byte> AnyByte = Gen.Choose(0, 255).Select(i => (byte)i);

    private static readonly Gen<byte[]> Key =
        Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(KeyByte, n)).Select(tail => (byte[])[Prefix, .. tail]);

    private static readonly Gen<byte[]?> Value =
        Gen.Frequency(
            (1, Gen.Constant<byte[]?>(null)),
            (3, Gen.Choose(0, 6).SelectMany(n => Gen.ArrayOf(AnyByte, n)).Select(v => (byte[]?)v)));

    private static readonly Gen<DbOperation> Operation =
        Key.SelectMany(k => Value.Select(v => new DbOperation(k, v)));

    public static Arbitrary<BatchScript> Script() =>
        Gen.Choose(1, 6)
            .SelectMany(batches => Gen.ArrayOf(Gen.Choose(0, 12).SelectMany(ops => Gen.ArrayOf(Operation, ops)), batches))
            .Select(b => new BatchScript(b))
            .ToArbitrary();
}

public class DatabaseModelProperties
{
    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static ByteOrder Instance { get; } = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }

    /// <summary>
    /// Committed batches, read back live and after dispose and reopen, equal an in-memory sorted map
    /// that applies the same operations in the same order.
    /// </summary>
    [Property(Arbitrary = [typeof(StorageGenerators)], MaxTest = 100)]
    public bool Committed_batches_match_a_sorted_dictionary_model_before_and_after_reopen(BatchScript script)
    {
        var model = new SortedDictionary<byte[], byte[]>(ByteOrder.Instance);
        using var dir = TestDirectory.Create("db-model");
        bool live;
        using (var db = Open(dir.Path))
        {
            foreach (var operations in script.Batches)
            {
                using var batch = db.CreateBatch();
                foreach (var op in operations)
                {
                    if (op.Value is null)
                    {
                        batch.Delete(DbColumn.Metadata, op.Key);
                        model.Remove(op.Key);
                    }
                    else
                    {
                        batch.Put(DbColumn.Metadata, op.Key, op.Value);
                        model[op.Key] = op.Value;
                    }
                }
                db.Commit(batch);
            }
            live = Matches(db, model);
        }

        bool reopened;
        using (var db = Open(dir.Path))
            reopened = Matches(db, model) && db.SchemaVersion == NodeDatabase.CurrentSchemaVersion;

        if (live && reopened)
            dir.Succeeded();
        return live && reopened;
    }

    private static bool Matches(NodeDatabase db, SortedDictionary<byte[], byte[]> model)
    {
        var stored = db.IterateByPrefix(DbColumn.Metadata, [StorageGenerators.Prefix]).ToList();
        if (stored.Count != model.Count)
            return false;
        var expected = model.ToList();
        for (var i = 0; i < stored.Count; i++)
        {
            if (!stored[i].Key.AsSpan().SequenceEqual(expected[i].Key) || !stored[i].Value.AsSpan().SequenceEqual(expected[i].Value))
                return false;
        }
        // Point reads agree with the iteration, including for keys the model does not hold.
        foreach (var (key, value) in model)
        {
            if (!db.Contains(DbColumn.Metadata, key) || !value.AsSpan().SequenceEqual(db.Get(DbColumn.Metadata, key)))
                return false;
        }
        return db.Get(DbColumn.Metadata, [StorageGenerators.Prefix, 0x42]) is null || model.ContainsKey([StorageGenerators.Prefix, 0x42]);
    }
}
