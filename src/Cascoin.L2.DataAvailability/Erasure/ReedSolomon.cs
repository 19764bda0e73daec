namespace Cascoin.L2.DataAvailability.Erasure;

/// <summary>
/// Systematic Reed–Solomon erasure coding over <see cref="GaloisField"/>: k data shards and m parity
/// shards of one length, any k of which rebuild all k + m. The coding matrix is the (k + m) × k
/// Vandermonde matrix times the inverse of its top k × k square (identity on top, so the data shards
/// are stored as they are) — Backblaze's construction, so its published parity vectors are ours.
/// </summary>
public sealed class ReedSolomon
{
    /// <summary>Rows of the Vandermonde matrix are the field's elements: at most 256 shards.</summary>
    public const int MaxShards = 256;

    private readonly GaloisMatrix _matrix;

    public ReedSolomon(int dataShards, int parityShards)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dataShards, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(parityShards);
        if (dataShards + parityShards > MaxShards)
            throw new ArgumentOutOfRangeException(nameof(parityShards), $"at most {MaxShards} shards in all");
        DataShards = dataShards;
        ParityShards = parityShards;
        var vandermonde = GaloisMatrix.Vandermonde(dataShards + parityShards, dataShards);
        var top = vandermonde.SelectRows(Enumerable.Range(0, dataShards).ToList());
        _matrix = vandermonde.Times(top.Inverse());
    }

    public int DataShards { get; }

    public int ParityShards { get; }

    public int TotalShards => DataShards + ParityShards;

    /// <summary>Computes the parity shards (indices k … k + m − 1) from the data shards, in place; all shards have one length.</summary>
    public void EncodeParity(IReadOnlyList<byte[]> shards)
    {
        CheckShards(shards, allPresent: true);
        var parity = new byte[ParityShards][];
        var rows = new byte[ParityShards][];
        for (var p = 0; p < ParityShards; p++)
        {
            parity[p] = shards[DataShards + p];
            rows[p] = MatrixRow(DataShards + p);
        }
        Code(rows, shards.Take(DataShards).ToArray(), parity);
    }

    /// <summary>Whether the parity shards are the ones the data shards give.</summary>
    public bool IsParityCorrect(IReadOnlyList<byte[]> shards)
    {
        CheckShards(shards, allPresent: true);
        var length = shards[0].Length;
        var expected = new byte[ParityShards][];
        var rows = new byte[ParityShards][];
        for (var p = 0; p < ParityShards; p++)
        {
            expected[p] = new byte[length];
            rows[p] = MatrixRow(DataShards + p);
        }
        Code(rows, shards.Take(DataShards).ToArray(), expected);
        for (var p = 0; p < ParityShards; p++)
        {
            if (!expected[p].AsSpan().SequenceEqual(shards[DataShards + p]))
                return false;
        }
        return true;
    }

    /// <summary>
    /// Fills the missing (null) shards from any <see cref="DataShards"/> present ones: the data shards by
    /// inverting the rows of the present shards, then the parity by encoding again.
    /// </summary>
    /// <exception cref="ArgumentException">fewer than k shards are present, or their lengths differ.</exception>
    public void Reconstruct(byte[]?[] shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        if (shards.Length != TotalShards)
            throw new ArgumentException($"expected {TotalShards} shards, got {shards.Length}", nameof(shards));
        var present = Enumerable.Range(0, TotalShards).Where(i => shards[i] is not null).ToList();
        if (present.Count < DataShards)
            throw new ArgumentException($"{present.Count} shards present, {DataShards} are needed", nameof(shards));
        var length = shards[present[0]]!.Length;
        if (present.Any(i => shards[i]!.Length != length))
            throw new ArgumentException("the shards differ in length", nameof(shards));
        if (present.Count == TotalShards)
            return;

        var used = present.Take(DataShards).ToList();
        var missingData = Enumerable.Range(0, DataShards).Where(i => shards[i] is null).ToList();
        if (missingData.Count > 0)
        {
            var decode = _matrix.SelectRows(used).Inverse();
            var inputs = used.Select(i => shards[i]!).ToArray();
            var outputs = missingData.Select(_ => new byte[length]).ToArray();
            var rows = missingData.Select(d => Row(decode, d)).ToArray();
            Code(rows, inputs, outputs);
            for (var j = 0; j < missingData.Count; j++)
                shards[missingData[j]] = outputs[j];
        }
        var missingParity = Enumerable.Range(DataShards, ParityShards).Where(i => shards[i] is null).ToList();
        if (missingParity.Count > 0)
        {
            var outputs = missingParity.Select(_ => new byte[length]).ToArray();
            Code(missingParity.Select(MatrixRow).ToArray(), shards.Take(DataShards).Select(s => s!).ToArray(), outputs);
            for (var j = 0; j < missingParity.Count; j++)
                shards[missingParity[j]] = outputs[j];
        }
    }

    /// <summary>outputs[o] = Σ rows[o][i] × inputs[i], byte by byte; outputs start zeroed.</summary>
    private static void Code(byte[][] rows, byte[][] inputs, byte[][] outputs)
    {
        for (var i = 0; i < inputs.Length; i++)
        {
            var input = inputs[i].AsSpan();
            for (var o = 0; o < outputs.Length; o++)
                MultiplyAdd(rows[o][i], input, outputs[o]);
        }
    }

    /// <summary>output ^= factor × input (<see cref="GaloisSimd"/> where the CPU shuffles bytes, a table row per byte otherwise).</summary>
    private static void MultiplyAdd(byte factor, ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (factor == 0)
            return;
        var done = GaloisSimd.MultiplyAdd(factor, input, output);
        if (done == input.Length)
            return;
        var products = GaloisField.MultiplicationRow(factor);
        for (var b = done; b < input.Length; b++)
            output[b] ^= products[input[b]];
    }

    private byte[] MatrixRow(int row) => Row(_matrix, row);

    private static byte[] Row(GaloisMatrix matrix, int row)
    {
        var cells = new byte[matrix.Columns];
        for (var c = 0; c < cells.Length; c++)
            cells[c] = matrix[row, c];
        return cells;
    }

    private void CheckShards(IReadOnlyList<byte[]> shards, bool allPresent)
    {
        ArgumentNullException.ThrowIfNull(shards);
        if (shards.Count != TotalShards)
            throw new ArgumentException($"expected {TotalShards} shards, got {shards.Count}", nameof(shards));
        if (allPresent && shards.Any(s => s is null || s.Length != shards[0].Length))
            throw new ArgumentException("every shard must be present and of one length", nameof(shards));
    }
}
