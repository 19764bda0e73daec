namespace Cascoin.L2.Storage;

/// <summary>Turns a typed record into its stored bytes and back. Decode throws on malformed bytes.</summary>
public interface IDbCodec<T>
{
    byte[] Encode(T value);

    T Decode(ReadOnlySpan<byte> bytes);
}
