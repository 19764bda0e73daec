using Cascoin.L2.Chain.Bridge;
using System.Buffers.Binary;
using Cascoin.L2.Primitives;
using Cascoin.L2.State.Accounts;

namespace Cascoin.L2.Settlement.L1;

/// <summary>Where the system contracts keep their records in the L1 state tree (namespaces of <see cref="StateKeys"/>).</summary>
public static class SettlementKeys
{
    public static Hash256 ChainIndex { get; } = StateKeys.ForNamespace("registry/index", []);

    public static Hash256 Chain(ulong chainId) => StateKeys.ForNamespace("registry/chain", U64(chainId));

    public static Hash256 Stake(ulong chainId, Address sequencer) => StateKeys.ForNamespace("staking/stake", U64AndAddress(chainId, sequencer));

    public static Hash256 Anchor(ulong chainId, ulong index) => StateKeys.ForNamespace("anchors/anchor", U64Pair(chainId, index));

    public static Hash256 L1Message(ulong chainId, ulong sequence) => StateKeys.ForNamespace("bridge/message", U64Pair(chainId, sequence));

    public static Hash256 Forced(ulong chainId, ulong sequence) => StateKeys.ForNamespace("forced/tx", U64Pair(chainId, sequence));

    public static Hash256 WithdrawalPaid(ulong chainId, Hash256 withdrawal) => StateKeys.ForNamespace("bridge/withdrawn", U64AndHash(chainId, withdrawal));

    public static Hash256 EmergencyExit(ulong chainId, Address account) => StateKeys.ForNamespace("bridge/exited", U64AndAddress(chainId, account));

    public static Hash256 MessageExecuted(ulong chainId, Hash256 message) => StateKeys.ForNamespace("messages/executed", U64AndHash(chainId, message));

    public static Hash256 DepositedToday(ulong chainId, Address sender, ulong day) =>
        StateKeys.ForNamespace("bridge/daily", [.. U64AndAddress(chainId, sender), .. U64(day)]);

    /// <summary>Set once <paramref name="sequencer"/> was slashed for double signing at L2 height <paramref name="height"/>.</summary>
    public static Hash256 DoubleSignSlashed(ulong chainId, Address sequencer, ulong height) =>
        StateKeys.ForNamespace("staking/doublesign", [.. U64AndAddress(chainId, sequencer), .. U64(height)]);

    /// <summary>Set once <paramref name="sequencer"/> was slashed for releasing decryption shares of an unfinal block at L2 height <paramref name="height"/>.</summary>
    public static Hash256 EarlySharesSlashed(ulong chainId, Address sequencer, ulong height) =>
        StateKeys.ForNamespace("staking/earlyshares", [.. U64AndAddress(chainId, sequencer), .. U64(height)]);

    /// <summary>The miner whose reward of block <paramref name="height"/> is paid at maturity.</summary>
    public static Hash256 PendingReward(ulong height) => StateKeys.ForNamespace("coinbase/pending", U64(height));

    /// <summary>Fraud-proof game <paramref name="game"/> of a chain (<see cref="Contracts.Fraud.GameRecord"/>).</summary>
    public static Hash256 Game(ulong chainId, ulong game) => StateKeys.ForNamespace("fraud/game", U64Pair(chainId, game));

    /// <summary>The games of a chain still open, and how many it ever had (<see cref="Contracts.Fraud.OpenGames"/>).</summary>
    public static Hash256 OpenGames(ulong chainId) => StateKeys.ForNamespace("fraud/open", U64(chainId));

    /// <summary>A challenger's open games and lost ones (<see cref="Contracts.Fraud.ChallengerRecord"/>).</summary>
    public static Hash256 Challenger(Address challenger) => StateKeys.ForNamespace("fraud/challenger", challenger.ToArray());

    /// <summary>Epoch <paramref name="epoch"/>'s encryption key of a chain (<see cref="Contracts.EpochKeyRecord"/>).</summary>
    public static Hash256 EpochKey(ulong chainId, ulong epoch) => StateKeys.ForNamespace("registry/epochkey", U64Pair(chainId, epoch));

    /// <summary>The newest epoch with a committed key of a chain (u64; absent: none yet).</summary>
    public static Hash256 LatestEpoch(ulong chainId) => StateKeys.ForNamespace("registry/epoch", U64(chainId));

    /// <summary>The chains an address's L1 score flows to (<see cref="Contracts.ReputationFollows"/>).</summary>
    public static Hash256 ReputationFollows(Address address) => StateKeys.ForNamespace("reputation/follows", address.ToArray());

    /// <summary>The pause counter of a chain's circuit breaker (u64 LE; absent: 0).</summary>
    public static Hash256 BridgePause(ulong chainId) => StateKeys.ForNamespace("registry/pause", U64(chainId));

    private static byte[] U64(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] U64Pair(ulong first, ulong second) => [.. U64(first), .. U64(second)];

    private static byte[] U64AndAddress(ulong value, Address address) => [.. U64(value), .. address.ToArray()];

    private static byte[] U64AndHash(ulong value, Hash256 hash) => [.. U64(value), .. hash.ToArray()];
}
