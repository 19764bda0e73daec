using Cascoin.L2.Primitives;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cascoin.L2.Network.Tests;

public sealed class FrameHeaderTests
{
    private static readonly byte[] Magic = NetworkParameters.Regtest.MessageStart.ToArray();

    [Fact]
    public void A_frame_reads_back_with_its_command_length_and_checksum()
    {
        var frame = FrameHeader.Frame(Magic, "l2tx", [1, 2, 3]);
        var header = FrameHeader.TryRead(frame, Magic, 1000, out _);
        Assert.Equal(new FrameHeader("l2tx", 3, FrameHeader.ChecksumOf([1, 2, 3])), header);
        Assert.Equal(FrameHeader.Size + 3, frame.Length);
        // SPEC §8: the checksum is the first 4 bytes of SHA-256d of the payload (Bitcoin's empty-payload value 0x5df6e0e2).
        Assert.Equal(0xe2e0f65dU, FrameHeader.ChecksumOf([]));
    }

    [Theory]
    [InlineData(0, FrameError.WrongMagic)]
    [InlineData(4, FrameError.BadCommand)]
    [InlineData(19, FrameError.TooLarge)]
    public void Bad_headers_are_refused_with_their_reason(int index, FrameError expected)
    {
        var frame = FrameHeader.Frame(Magic, "ping", new byte[8]);
        frame[index] = index == 4 ? (byte)0 : (byte)0xff;
        Assert.Null(FrameHeader.TryRead(frame, Magic, 1000, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void A_command_with_bytes_after_its_padding_is_refused()
    {
        var frame = FrameHeader.Frame(Magic, "ping", []);
        frame[4 + 8] = (byte)'x';
        Assert.Null(FrameHeader.TryRead(frame, Magic, 1000, out var error));
        Assert.Equal(FrameError.BadCommand, error);
        Assert.Throws<ArgumentException>(() => FrameHeader.Frame(Magic, "thirteenchars", []));
        Assert.Throws<ArgumentException>(() => FrameHeader.Frame(Magic, "", []));
    }

    [Property(MaxTest = 500)]
    public Property Random_headers_never_throw_and_accepted_ones_are_well_formed()
    {
        var bytes = Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), FrameHeader.Size);
        return Prop.ForAll(bytes.ToArbitrary(), data =>
        {
            Array.Copy(Magic, data, 4);
            var header = FrameHeader.TryRead(data, Magic, 1 << 20, out _);
            return header is null || header.Value.Command.Length is > 0 and <= 12 && header.Value.Length <= 1 << 20;
        });
    }

    [Property(MaxTest = 300)]
    public Property Version_messages_round_trip_and_random_bytes_only_throw_decode_errors()
    {
        return Prop.ForAll(Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b)).ToArbitrary(), data =>
        {
            try
            {
                var version = VersionMessage.FromBytes(data);
                return VersionMessage.FromBytes(version.ToBytes()) == version;
            }
            catch (DecodeException)
            {
                return true;
            }
        });
    }
}
