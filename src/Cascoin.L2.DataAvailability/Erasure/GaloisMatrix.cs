namespace Cascoin.L2.DataAvailability.Erasure;

/// <summary>A matrix over <see cref="GaloisField"/>: what the Reed–Solomon coding matrix is built and inverted with.</summary>
internal sealed class GaloisMatrix
{
    private readonly byte[,] _cells;

    public GaloisMatrix(int rows, int columns)
    {
        _cells = new byte[rows, columns];
    }

    public int Rows => _cells.GetLength(0);

    public int Columns => _cells.GetLength(1);

    public byte this[int row, int column]
    {
        get => _cells[row, column];
        set => _cells[row, column] = value;
    }

    /// <summary>The Vandermonde matrix: cell (r, c) = r^c. Any <paramref name="columns"/> of its rows are independent while rows ≤ 256.</summary>
    public static GaloisMatrix Vandermonde(int rows, int columns)
    {
        var matrix = new GaloisMatrix(rows, columns);
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
                matrix[r, c] = GaloisField.Power((byte)r, c);
        }
        return matrix;
    }

    public static GaloisMatrix Identity(int size)
    {
        var matrix = new GaloisMatrix(size, size);
        for (var i = 0; i < size; i++)
            matrix[i, i] = 1;
        return matrix;
    }

    public GaloisMatrix Times(GaloisMatrix right)
    {
        ArgumentNullException.ThrowIfNull(right);
        if (Columns != right.Rows)
            throw new ArgumentException($"a {Rows}×{Columns} matrix cannot multiply a {right.Rows}×{right.Columns} one", nameof(right));
        var product = new GaloisMatrix(Rows, right.Columns);
        for (var r = 0; r < Rows; r++)
        {
            for (var c = 0; c < right.Columns; c++)
            {
                byte sum = 0;
                for (var i = 0; i < Columns; i++)
                    sum ^= GaloisField.Multiply(this[r, i], right[i, c]);
                product[r, c] = sum;
            }
        }
        return product;
    }

    /// <summary>The rows <paramref name="rows"/> of this matrix, in that order.</summary>
    public GaloisMatrix SelectRows(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var selected = new GaloisMatrix(rows.Count, Columns);
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < Columns; c++)
                selected[r, c] = this[rows[r], c];
        }
        return selected;
    }

    /// <summary>The inverse by Gauss–Jordan elimination.</summary>
    /// <exception cref="InvalidOperationException">the matrix is singular.</exception>
    public GaloisMatrix Inverse()
    {
        if (Rows != Columns)
            throw new InvalidOperationException("only a square matrix has an inverse");
        var size = Rows;
        var work = new GaloisMatrix(size, 2 * size);
        for (var r = 0; r < size; r++)
        {
            for (var c = 0; c < size; c++)
                work[r, c] = this[r, c];
            work[r, size + r] = 1;
        }
        for (var column = 0; column < size; column++)
        {
            var pivot = column;
            while (pivot < size && work[pivot, column] == 0)
                pivot++;
            if (pivot == size)
                throw new InvalidOperationException("the matrix is singular");
            if (pivot != column)
                work.SwapRows(pivot, column);
            var scale = GaloisField.Divide(1, work[column, column]);
            for (var c = 0; c < 2 * size; c++)
                work[column, c] = GaloisField.Multiply(work[column, c], scale);
            for (var r = 0; r < size; r++)
            {
                if (r == column || work[r, column] == 0)
                    continue;
                var factor = work[r, column];
                for (var c = 0; c < 2 * size; c++)
                    work[r, c] ^= GaloisField.Multiply(factor, work[column, c]);
            }
        }
        var inverse = new GaloisMatrix(size, size);
        for (var r = 0; r < size; r++)
        {
            for (var c = 0; c < size; c++)
                inverse[r, c] = work[r, size + c];
        }
        return inverse;
    }

    private void SwapRows(int a, int b)
    {
        for (var c = 0; c < Columns; c++)
            (_cells[a, c], _cells[b, c]) = (_cells[b, c], _cells[a, c]);
    }
}
