using System.Globalization;
using Cascoin.L2.Primitives;
using Cascoin.L2.Sequencing.Consensus;
using Cascoin.L2.Sequencing.Discovery;

namespace Cascoin.L2.Rpc.Modules.Sequencing;

[RpcModule("sequencers", MaxConcurrency = 16, TimeoutSeconds = 10)]
public interface ISequencerRpc
{
    [RpcMethod("l2_announcesequencer", "Signs and gossips this node's SEQANNOUNCE now (sequencers also announce on their own every half leader timeout).",
        Returns = "{ address, endpoint, stake, score, l1height, expires }")]
    SequencerDto AnnounceSequencer();

    [RpcMethod("l2_getsequencers", "The sequencers this node has heard announce themselves, with the stake and score the settlement chain gives them (never the announced ones).",
        Returns = "[ { address, endpoint, stake, score, l1height, expires } ]")]
    IReadOnlyList<SequencerDto> GetSequencers([RpcParam("only those the settlement chain calls eligible now (default false)")] bool eligibleonly = false);

    [RpcMethod("l2_getleader", "Who may propose the next L2 block as this node sees it: height, slot, failover round, leader, the slot's ranking, the demoted, and the election: each sequencer's weight (stake × score), its missed turns in the last 4 slots and the weight it drew with (weight ÷ (1 + misses)).",
        Returns = "{ height, slot, round, leader, ranking: [address, ...], demoted: [address, ...], election: [ { address, weight, misses, drawweight } ] }")]
    LeaderDto GetLeader();
}

public sealed record SequencerDto(string Address, string Endpoint, Amount Stake, byte Score, ulong L1Height, ulong Expires);

public sealed record LeaderDto(ulong Height, ulong Slot, int Round, string Leader, IReadOnlyList<string> Ranking, IReadOnlyList<string> Demoted,
    IReadOnlyList<ElectionWeightDto> Election);

/// <summary>A sequencer as the slot's election drew it: its full weight (stake in sat × score), its missed turns in the last 4 slots, and the weight it drew with.</summary>
public sealed record ElectionWeightDto(string Address, string Weight, int Misses, string DrawWeight);

/// <summary>The sequencer network of a deployed chain (<see cref="SequencerNetwork"/>); the development chain has none.</summary>
public sealed class SequencerRpcModule : IRpcModule, ISequencerRpc
{
    private readonly SequencerNetwork? _network;
    private readonly NetworkParameters _parameters;

    public SequencerRpcModule(RpcNodeContext node, SequencerNetwork? network = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        _network = network;
        _parameters = node.Network;
    }

    private SequencerNetwork Network => _network
        ?? throw new RpcException(RpcErrorCode.MiscError, "not supported here: only a deployed L2 chain (-l2chainid) has a sequencer network; the development chain has one local sequencer");

    public SequencerDto AnnounceSequencer() => ToDto(Network.Announce(), null);

    public IReadOnlyList<SequencerDto> GetSequencers(bool eligibleonly = false) =>
        Network.Registry.List(eligibleonly).Select(k => ToDto(k.Announcement, k)).ToList();

    public LeaderDto GetLeader()
    {
        var leader = Network.CurrentLeader()
            ?? throw new RpcException(RpcErrorCode.MiscError, "no eligible sequencer for the next block yet (or this node's settlement chain has not reached the block's L1 height)");
        return new LeaderDto(leader.Height, leader.Slot, leader.Round, leader.Leader.ToBase58(_parameters), leader.Ranking.Select(a => a.ToBase58(_parameters)).ToList(),
            leader.Demoted.Select(a => a.ToBase58(_parameters)).ToList(),
            leader.Election.Select(s => new ElectionWeightDto(s.Address.ToBase58(_parameters), (s with { Misses = 0 }).Weight.ToString(CultureInfo.InvariantCulture), s.Misses,
                s.Weight.ToString(CultureInfo.InvariantCulture))).ToList());
    }

    /// <summary>The L1's stake and score when known (registry entries), else the announcement's own claims (this node's announcement).</summary>
    private SequencerDto ToDto(SequencerAnnouncement announcement, KnownSequencer? known) => new(
        announcement.Address.ToBase58(_parameters), announcement.Endpoint, known?.Weight.Stake ?? announcement.ClaimedStake,
        known?.Weight.Score ?? announcement.ClaimedScore, announcement.L1Height, announcement.ExpiresAt);
}
