using System.Text;

namespace Cascoin.L2.Sequencing.Tests;

/// <summary>Convention 12: one registry names every P2P command; a clash fails here, not at the start.</summary>
public sealed class P2PCommandsTests
{
    [Fact]
    public void Every_command_is_unique_and_fits_the_frame_header()
    {
        var commands = P2PCommands.All.Select(c => c.Command).ToList();
        Assert.Equal(commands.Count, commands.Distinct(StringComparer.Ordinal).Count());
        Assert.All(commands, c =>
        {
            Assert.InRange(Encoding.ASCII.GetByteCount(c), 1, 12);
            Assert.All(c, ch => Assert.True(ch is >= 'a' and <= 'z' or >= '0' and <= '9', $"'{c}' is lowercase letters and digits"));
        });
        Assert.Contains(("l2vote", "VoteMessage"), P2PCommands.All);
    }
}
