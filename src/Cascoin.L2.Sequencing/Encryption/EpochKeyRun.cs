using System.Buffers.Binary;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Crypto;
using Cascoin.L2.Crypto.Threshold;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Sequencing.Encryption;

/// <summary>
/// One member's side of an epoch's DKG run over the network (doc/encrypted-mempool.md), apart from
/// the network: the run's phases follow L1 heights from the set height s, <see cref="PhaseBlocks"/>
/// blocks each — dealings, complaints, reveals, exposures, exposure complaints, reconstructions,
/// signatures. <see cref="OnHeight"/> gives the messages this member sends as each phase begins;
/// <see cref="OnMessage"/> takes anyone's, checked to be signed by the member it names, during the
/// phase it belongs to (an early one waits for its phase, a bounded number per sender; a late one is
/// dropped). At the signature
/// phase each member signs the epoch key call it computed; <see cref="Record"/> is the call once
/// members with more than 2/3 of the set's weight signed the same one. Members that saw the same
/// messages in time sign the same call; members that did not split the signatures, and no record
/// comes of this run (the next run starts over).
/// </summary>
public sealed class EpochKeyRun
{
    /// <summary>The phases, in order; the signature phase lasts until the run is dropped.</summary>
    public const int Phases = 7;

    private readonly DkgSession _session;
    private readonly PrivateKey _key;
    private readonly IReadOnlyList<Address> _members;
    private readonly IReadOnlyList<UInt128> _weights;
    private readonly List<DkgComplaint> _myComplaints = [];
    private readonly List<DkgComplaint> _againstMe = [];
    private readonly List<DkgExposureComplaint> _myExposureComplaints = [];
    private readonly List<DkgMessage> _early = [];
    private readonly Dictionary<int, byte[]> _signatures = [];
    private int _phase = -1;
    private EpochKeyCall? _call;

    /// <param name="members">The set at the set height in address order: member i at position i − 1.</param>
    /// <param name="memberKeys">Their public keys (33 bytes), from their announcements.</param>
    /// <param name="weights">Their weights at the set height, for the 2/3 rule.</param>
    public EpochKeyRun(ulong chainId, ulong epoch, ulong setHeight, ulong phaseBlocks, IReadOnlyList<Address> members, IReadOnlyList<byte[]> memberKeys,
        IReadOnlyList<UInt128> weights, PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(phaseBlocks, 1UL);
        if (weights.Count != members.Count)
            throw new ArgumentException("one weight per member", nameof(weights));
        var me = Address.FromPublicKey(key.PublicKey.AsSpan());
        Index = members.ToList().IndexOf(me) + 1;
        if (Index == 0)
            throw new ArgumentException($"{me} is not a member of this run", nameof(key));
        (ChainId, Epoch, SetHeight, PhaseBlocks, _members, _weights, _key) = (chainId, epoch, setHeight, phaseBlocks, members, weights, key);
        _session = new DkgSession(Context(chainId, epoch, setHeight, members), memberKeys, ThresholdKey.ThresholdFor(members.Count), Index, key.ToArray());
    }

    public ulong ChainId { get; }

    public ulong Epoch { get; }

    public ulong SetHeight { get; }

    public ulong PhaseBlocks { get; }

    /// <summary>This member's index (1-based).</summary>
    public int Index { get; }

    /// <summary>The call this member computed and signed (without the others' signatures), once the signature phase began.</summary>
    public EpochKeyCall? Computed => _call;

    /// <summary>This member's share of the key, once computed.</summary>
    public KeyShare? Share { get; private set; }

    /// <summary>Called with this member's share before it signs the key (to keep the share: a key it signed must never lack it).</summary>
    public Action<KeyShare>? ShareComputed { get; init; }

    /// <summary>The call with the signatures of members holding more than 2/3 of the weight (in member order), or null.</summary>
    public EpochKeyCall? Record
    {
        get
        {
            if (_call is null)
                return null;
            var total = _weights.Aggregate(UInt128.Zero, (sum, w) => sum + w);
            var signed = _signatures.Keys.Aggregate(UInt128.Zero, (sum, i) => sum + _weights[i - 1]);
            return StakeQuorum.IsSupermajority(signed, total) ? _call with { Signatures = _signatures.OrderBy(s => s.Key).Select(s => s.Value).ToList() } : null;
        }
    }

    /// <summary>What binds the run: chain, epoch, set height and the members.</summary>
    public static byte[] Context(ulong chainId, ulong epoch, ulong setHeight, IReadOnlyList<Address> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var writer = new SpanWriter(32 + members.Count * Address.Size);
        writer.WriteBytes("cascoin-l2-dkg-run-v1"u8);
        writer.WriteUInt64(chainId);
        writer.WriteUInt64(epoch);
        writer.WriteUInt64(setHeight);
        foreach (var member in members)
            writer.WriteAddress(member);
        return Hashes.Sha256(writer.ToArray());
    }

    /// <summary>The phase at L1 height <paramref name="height"/>: −1 before the run, 0..6 during, 6 after.</summary>
    public int PhaseAt(ulong height) => height < SetHeight ? -1 : (int)Math.Min((height - SetHeight) / PhaseBlocks, Phases - 1);

    /// <summary>The L1 tip moved to <paramref name="height"/>: the messages this member sends for the phases that began.</summary>
    public IReadOnlyList<DkgMessage> OnHeight(ulong height)
    {
        var outgoing = new List<DkgMessage>();
        var phase = PhaseAt(height);
        while (_phase < phase)
        {
            _phase++;
            outgoing.AddRange(Begin(_phase));
            foreach (var early in _early.Where(m => PhaseOf(m.Kind) == _phase).ToList())
            {
                _early.Remove(early);
                Take(early);
            }
        }
        return outgoing;
    }

    /// <summary>
    /// Takes a message of this run, checked to be signed by the member it names: during its phase it
    /// counts; before, it waits (at most one per member and kind); after, it is dropped. Returns why a
    /// message is refused (the sender's peer deserves a score), or null.
    /// </summary>
    public string? OnMessage(DkgMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.ChainId != ChainId || message.Epoch != Epoch || message.SetHeight != SetHeight)
            return "a message of another run";
        if (message.Sender < 1 || message.Sender > _members.Count || message.Signer != _members[message.Sender - 1])
            return $"not signed by member {message.Sender}";
        var phase = PhaseOf(message.Kind);
        if (phase < _phase)
            return null; // late: dropped, as every member that saw it late drops it
        if (phase > _phase)
        {
            // Kept for its phase: each distinct message once, and a bounded number per sender (a member
            // sends at most one per dealer and kind).
            if (_early.Count(m => m.Sender == message.Sender) < MaxEarlyPerSender && !_early.Any(m => m.Kind == message.Kind && m.Sender == message.Sender && m.Payload.AsSpan().SequenceEqual(message.Payload)))
                _early.Add(message);
            return null;
        }
        return Take(message);
    }

    private static int PhaseOf(DkgMessageKind kind) => (int)kind - 1;

    private int MaxEarlyPerSender => 4 * _members.Count + Phases;

    private IEnumerable<DkgMessage> Begin(int phase)
    {
        switch (phase)
        {
            case 0:
                var dealing = _session.Deal();
                _myComplaints.AddRange(_session.Receive(dealing) is { } self ? [self] : []);
                yield return Message(DkgMessageKind.Dealing, dealing.ToBytes());
                break;
            case 1:
                foreach (var complaint in _myComplaints)
                {
                    _session.Complained(complaint);
                    yield return Message(DkgMessageKind.Complaint, U16(complaint.Dealer));
                }
                break;
            case 2:
                foreach (var reveal in _againstMe.Select(_session.Answer).OfType<DkgReveal>())
                {
                    _session.Revealed(reveal);
                    yield return Message(DkgMessageKind.Reveal, [.. U16(reveal.Member), .. reveal.Share]);
                }
                break;
            case 3:
                if (_session.Expose() is { } exposure)
                {
                    _myExposureComplaints.AddRange(_session.ReceiveExposure(exposure) is { } own ? [own] : []);
                    yield return Message(DkgMessageKind.Exposure, exposure.ToBytes());
                }
                break;
            case 4:
                foreach (var complaint in _myExposureComplaints)
                {
                    _session.ExposureComplained(complaint);
                    yield return Message(DkgMessageKind.ExposureComplaint, [.. U16(complaint.Dealer), .. complaint.Share]);
                }
                break;
            case 5:
                foreach (var reconstruction in _session.ToRebuild.Select(_session.Reconstruction).OfType<DkgReconstruction>())
                {
                    _session.Reconstructed(reconstruction);
                    yield return Message(DkgMessageKind.Reconstruction, [.. U16(reconstruction.Dealer), .. reconstruction.Share]);
                }
                break;
            default:
                if (_session.Finish() is not { } result)
                    break;
                Share = result.Share;
                if (result.Share is { } share)
                    ShareComputed?.Invoke(share);
                _call = new EpochKeyCall(ChainId, Epoch, SetHeight, result.Key.PublicKey, result.Key.VerificationKeys,
                    result.Qualified.Select(q => (ushort)q).ToList(), []);
                var signature = _key.SignRecoverable(_call.Digest.ToArray()).ToArray();
                _signatures[Index] = signature;
                yield return Message(DkgMessageKind.Signature, signature);
                break;
        }
    }

    /// <summary>A message of the current phase, from the member it names.</summary>
    private string? Take(DkgMessage message)
    {
        var payload = message.Payload;
        switch (message.Kind)
        {
            case DkgMessageKind.Dealing:
                if (DkgDealing.Decode(payload) is not { } dealing || dealing.Dealer != message.Sender)
                    return "not a dealing of its sender";
                if (_session.Receive(dealing) is { } complaint)
                    _myComplaints.Add(complaint);
                return null;
            case DkgMessageKind.Complaint:
                if (payload.Length != 2)
                    return "not a complaint";
                var against = new DkgComplaint(BinaryPrimitives.ReadUInt16LittleEndian(payload), message.Sender);
                _session.Complained(against);
                if (against.Dealer == Index)
                    _againstMe.Add(against);
                return null;
            case DkgMessageKind.Reveal:
                if (Paired(payload) is not { } reveal)
                    return "not a reveal";
                _session.Revealed(new DkgReveal(message.Sender, reveal.Index, reveal.Share));
                return null;
            case DkgMessageKind.Exposure:
                if (DkgExposure.Decode(payload) is not { } exposure || exposure.Dealer != message.Sender)
                    return "not an exposure of its sender";
                if (_session.ReceiveExposure(exposure) is { } proof)
                    _myExposureComplaints.Add(proof);
                return null;
            case DkgMessageKind.ExposureComplaint:
                if (Paired(payload) is not { } disproof)
                    return "not an exposure complaint";
                _session.ExposureComplained(new DkgExposureComplaint(disproof.Index, message.Sender, disproof.Share));
                return null;
            case DkgMessageKind.Reconstruction:
                if (Paired(payload) is not { } rebuilt)
                    return "not a reconstruction";
                _session.Reconstructed(new DkgReconstruction(rebuilt.Index, message.Sender, rebuilt.Share));
                return null;
            default:
                // A signature counts when it signs the call this member computed.
                if (_call is not null && SignatureSigners.Recover(payload, _call.Digest.ToArray()) == _members[message.Sender - 1])
                    _signatures.TryAdd(message.Sender, payload);
                return null;
        }
    }

    /// <summary>A payload of a member index (u16) and a share pair (64 bytes): reveals, exposure complaints, reconstructions.</summary>
    private static (int Index, byte[] Share)? Paired(byte[] payload) =>
        payload.Length == 66 ? (BinaryPrimitives.ReadUInt16LittleEndian(payload), payload[2..]) : null;

    private DkgMessage Message(DkgMessageKind kind, byte[] payload) => DkgMessage.Sign(ChainId, Epoch, SetHeight, (ushort)Index, kind, payload, _key);

    private static byte[] U16(int value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, checked((ushort)value));
        return bytes;
    }
}
