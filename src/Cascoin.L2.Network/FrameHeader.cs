using System.Buffers.Binary;
using Cascoin.L2.Crypto;

namespace Cascoin.L2.Network;

/// <summary>Why a frame was refused: each is a protocol violation that scores against the peer.</summary>
public enum FrameError
{
    WrongMagic,
    BadCommand,
    TooLarge,
    BadChecksum,
}

/// <summary>
/// The 24-byte header of every P2P message (SPEC §8): magic (4) ‖ command (12, ASCII, NUL padded) ‖
/// payload length (u32 LE) ‖ checksum (first 4 bytes of SHA-256d of the payload).
/// </summary>
public readonly record struct FrameHeader(string Command, uint Length, uint Checksum)
{
    public const int Size = 24;
    public const int CommandSize = 12;

    /// <summary>Reads a header; null with the reason when the bytes are not one this node accepts.</summary>
    public static FrameHeader? TryRead(ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> magic, uint maxLength, out FrameError error)
    {
        error = default;
        if (!bytes[..4].SequenceEqual(magic))
        {
            error = FrameError.WrongMagic;
            return null;
        }
        var command = bytes.Slice(4, CommandSize);
        var end = command.IndexOf((byte)0);
        var name = end < 0 ? command : command[..end];
        // A command is 1..12 printable ASCII characters followed only by NULs.
        if (name.Length == 0 || name.ContainsAnyExceptInRange((byte)0x21, (byte)0x7e) || end >= 0 && command[end..].ContainsAnyExcept((byte)0))
        {
            error = FrameError.BadCommand;
            return null;
        }
        var length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[16..]);
        if (length > maxLength)
        {
            error = FrameError.TooLarge;
            return null;
        }
        return new FrameHeader(System.Text.Encoding.ASCII.GetString(name), length, BinaryPrimitives.ReadUInt32LittleEndian(bytes[20..]));
    }

    public static uint ChecksumOf(ReadOnlySpan<byte> payload)
    {
        Span<byte> hash = stackalloc byte[32];
        Hashes.Sha256d(payload, hash);
        return BinaryPrimitives.ReadUInt32LittleEndian(hash);
    }

    /// <summary>The whole frame: header and payload.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> magic, string command, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Length is 0 or > CommandSize || command.Any(c => c is < '!' or > '~'))
            throw new ArgumentException($"a command is 1..{CommandSize} printable ASCII characters", nameof(command));
        var frame = new byte[Size + payload.Length];
        magic.CopyTo(frame);
        System.Text.Encoding.ASCII.GetBytes(command, frame.AsSpan(4));
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(16), (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(20), ChecksumOf(payload));
        payload.CopyTo(frame.AsSpan(Size));
        return frame;
    }
}
