using Cascoin.L2.TestKit;
using static Cascoin.L2.Storage.Tests.TestDatabases;

namespace Cascoin.L2.Storage.Tests;

public class PrefixIterationTests
{
    /// <summary>Keys around the interesting boundaries: 0x00 and 0xff bytes, prefixes of each other, the byte after a prefix.</summary>
    private static readonly string[] StoredHexKeys =
    [
        "0f", "0fff", "10", "1000", "10ff", "10ffff", "10ffff00", "11", "1100",
        "fe", "feff", "ff", "ff00", "ffff", "ffffff",
    ];

    private static NodeDatabase OpenFilled(TestDirectory dir)
    {
        var db = Open(dir.Path);
        using var batch = db.CreateBatch();
        // Insert in a scrambled order: the iteration order must come from the keys, not from insertion.
        foreach (var hex in StoredHexKeys.Reverse().OrderBy(k => k.Length))
            batch.Put(DbColumn.Metadata, Convert.FromHexString(hex), Convert.FromHexString(hex));
        db.Commit(batch);
        return db;
    }

    [Theory]
    [InlineData("10", new[] { "10", "1000", "10ff", "10ffff", "10ffff00" })]
    [InlineData("10ff", new[] { "10ff", "10ffff", "10ffff00" })]
    [InlineData("10ffff", new[] { "10ffff", "10ffff00" })]
    [InlineData("0f", new[] { "0f", "0fff" })]
    [InlineData("11", new[] { "11", "1100" })]
    [InlineData("fe", new[] { "fe", "feff" })]
    [InlineData("ff", new[] { "ff", "ff00", "ffff", "ffffff" })]
    [InlineData("ffff", new[] { "ffff", "ffffff" })]
    [InlineData("ffffffff", new string[0])]
    [InlineData("12", new string[0])]
    [InlineData("00", new string[0])]
    [InlineData("1001", new string[0])]
    public void Prefix_iteration_returns_exactly_the_prefixed_keys_in_ascending_byte_order(string prefixHex, string[] expected)
    {
        using var dir = TestDirectory.Create("prefix");
        using (var db = OpenFilled(dir))
        {
            var records = db.IterateByPrefix(DbColumn.Metadata, Convert.FromHexString(prefixHex)).ToList();
            Assert.Equal(expected, HexKeys(records));
            // Each value was stored equal to its key: keys and values stay paired.
            Assert.All(records, r => Assert.Equal(r.Key, r.Value));
        }
        dir.Succeeded();
    }

    [Fact]
    public void The_empty_prefix_returns_every_key_of_the_column_including_the_schema_version()
    {
        using var dir = TestDirectory.Create("prefix-empty");
        using (var db = OpenFilled(dir))
        {
            var keys = HexKeys(db.IterateByPrefix(DbColumn.Metadata, []));
            var expected = StoredHexKeys.Append(Convert.ToHexStringLower("schema_version"u8))
                .Order(StringComparer.Ordinal).ToList();
            Assert.Equal(expected, keys);
        }
        dir.Succeeded();
    }

    [Fact]
    public void Iteration_sees_deletes_and_an_empty_column_prefix_yields_nothing()
    {
        using var dir = TestDirectory.Create("prefix-deletes");
        using (var db = OpenFilled(dir))
        {
            db.Delete(DbColumn.Metadata, Convert.FromHexString("10ff"));
            db.Delete(DbColumn.Metadata, Convert.FromHexString("10"));
            Assert.Equal(["1000", "10ffff", "10ffff00"], HexKeys(db.IterateByPrefix(DbColumn.Metadata, [0x10])));

            foreach (var record in db.IterateByPrefix(DbColumn.Metadata, [0xff]).ToList())
                db.Delete(DbColumn.Metadata, record.Key);
            Assert.Empty(db.IterateByPrefix(DbColumn.Metadata, [0xff]));
            Assert.Equal(["fe", "feff"], HexKeys(db.IterateByPrefix(DbColumn.Metadata, [0xfe])));
        }
        dir.Succeeded();
    }

    [Fact]
    public void Keys_are_ordered_as_unsigned_bytes_so_big_endian_numbers_iterate_numerically()
    {
        using var dir = TestDirectory.Create("prefix-big-endian");
        using (var db = Open(dir.Path))
        {
            ulong[] numbers = [0, 1, 127, 128, 255, 256, 65_535, 65_536, uint.MaxValue, (ulong)uint.MaxValue + 1, long.MaxValue, ulong.MaxValue];
            using (var batch = db.CreateBatch())
            {
                foreach (var n in numbers.Reverse())
                {
                    var key = new byte[9];
                    key[0] = 0x20;
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(1), n);
                    batch.Put(DbColumn.Metadata, key, []);
                }
                db.Commit(batch);
            }
            var read = db.IterateByPrefix(DbColumn.Metadata, [0x20])
                .Select(r => System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(r.Key.AsSpan(1)))
                .ToList();
            Assert.Equal(numbers, read);
        }
        dir.Succeeded();
    }
}
