using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;

namespace Cascoin.L2.Crypto.Threshold;

/// <summary>The outcome of a DKG for one member: the qualified dealers, the epoch key, and this member's share of it (null only for a member that lacks a qualified dealer's share, which an honest member never does).</summary>
public sealed record DkgResult(IReadOnlyList<int> Qualified, ThresholdKey Key, KeyShare? Share);

/// <summary>
/// One member's side of a distributed key generation with no dealer (Pedersen's joint-Feldman DKG with
/// proofs of knowledge, as FROST's key generation; doc/encrypted-mempool.md). Every member deals a
/// random polynomial of degree t − 1 (<see cref="Deal"/>); each checks its share from every dealing
/// against the dealer's commitments and complains publicly when it fails (<see cref="Receive"/>); a
/// dealer answers each complaint by revealing that share (<see cref="Answer"/>), which everyone checks
/// (<see cref="Revealed"/>). The qualified dealers are those with a well-formed dealing and every
/// complaint answered with a valid share; the key is the sum of their constant terms and each
/// member's share the sum of their shares to it. Members who saw the same broadcasts (the
/// network fixes them with a record signed by more than 2/3) reach the same set and key.
/// </summary>
public sealed class DkgSession
{
    private const string ProofTag = "cascoin-l2-dkg-pok-v1";

    private readonly byte[] _context;
    private readonly List<ECPoint> _memberKeys;
    private readonly BigInteger _secret;
    private readonly Dictionary<int, IReadOnlyList<ECPoint>> _commitments = [];
    private readonly Dictionary<int, BigInteger> _shares = [];
    private readonly HashSet<int> _disqualified = [];
    private readonly HashSet<(int Dealer, int Member)> _open = [];
    private BigInteger[]? _polynomial;

    /// <param name="context">What binds this run: chain, epoch and member set (a dealing of another run does not verify here).</param>
    /// <param name="memberKeys">Each member's secp256k1 public key (33 bytes); member i is at position i − 1.</param>
    /// <param name="index">This member's index (1-based).</param>
    /// <param name="secretKey">This member's private key (32 bytes), which opens the shares sealed to it.</param>
    public DkgSession(byte[] context, IReadOnlyList<byte[]> memberKeys, int threshold, int index, ReadOnlySpan<byte> secretKey)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(memberKeys);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(memberKeys.Count, ThresholdKey.MaxMembers);
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, memberKeys.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(index, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, memberKeys.Count);
        _context = context;
        _memberKeys = memberKeys.Select(k => Group.Decode(k) ?? throw new ArgumentException("a member key is not a compressed secp256k1 point", nameof(memberKeys))).ToList();
        Threshold = threshold;
        Index = index;
        _secret = Group.DecodeScalar(secretKey) is { SignValue: > 0 } secret ? secret : throw new ArgumentException("not a private key", nameof(secretKey));
        if (!Group.Base(_secret).Equals(_memberKeys[index - 1]))
            throw new ArgumentException($"the private key is not member {index}'s", nameof(secretKey));
    }

    public int Threshold { get; }

    public int Index { get; }

    public int Members => _memberKeys.Count;

    /// <summary>This member's dealing (once per run: the polynomial is kept to answer complaints).</summary>
    public DkgDealing Deal()
    {
        if (_polynomial is not null)
            throw new InvalidOperationException("this member has dealt already");
        _polynomial = Enumerable.Range(0, Threshold).Select(_ => Group.RandomScalar()).ToArray();
        var commitments = _polynomial.Select(a => Group.Encode(Group.Base(a))).ToList();
        var proof = SchnorrProof.Prove(_polynomial[0], Group.Base(_polynomial[0]), ProofTag, ProofMessage(Index));
        var shares = Enumerable.Range(1, Members).Select(j => ShareBox.Seal(Evaluate(_polynomial, j), _memberKeys[j - 1], _context, Index, j)).ToList();
        return new DkgDealing(Index, commitments, proof, shares);
    }

    /// <summary>
    /// Takes a dealing: a malformed one (wrong sizes, commitments off the curve, a proof of knowledge
    /// that fails) disqualifies its dealer, as every member sees the same; a well-formed one whose share
    /// to this member does not open or match gives the complaint to broadcast. The first dealing of a
    /// dealer counts.
    /// </summary>
    public DkgComplaint? Receive(DkgDealing dealing)
    {
        ArgumentNullException.ThrowIfNull(dealing);
        if (dealing.Dealer < 1 || dealing.Dealer > Members || _commitments.ContainsKey(dealing.Dealer) || _disqualified.Contains(dealing.Dealer))
            return null;
        var commitments = dealing.Commitments.Select(c => Group.Decode(c)).ToList();
        if (commitments.Count != Threshold || commitments.Any(c => c is null) || dealing.Shares.Count != Members
            || !SchnorrProof.Verify(dealing.Proof, commitments[0]!, ProofTag, ProofMessage(dealing.Dealer)))
        {
            _disqualified.Add(dealing.Dealer);
            return null;
        }
        _commitments[dealing.Dealer] = commitments.Select(c => c!).ToList();
        if (ShareBox.Open(dealing.Shares[Index - 1], _secret, _context, dealing.Dealer, Index) is { } share && Matches(dealing.Dealer, Index, share))
        {
            _shares[dealing.Dealer] = share;
            return null;
        }
        return new DkgComplaint(dealing.Dealer, Index);
    }

    /// <summary>Records a complaint any member broadcast: its dealer stays unqualified until it reveals a valid share.</summary>
    public void Complained(DkgComplaint complaint)
    {
        ArgumentNullException.ThrowIfNull(complaint);
        if (complaint.Member >= 1 && complaint.Member <= Members && _commitments.ContainsKey(complaint.Dealer))
            _open.Add((complaint.Dealer, complaint.Member));
    }

    /// <summary>This member's answer to a complaint against its own dealing: the share, revealed.</summary>
    public DkgReveal? Answer(DkgComplaint complaint)
    {
        ArgumentNullException.ThrowIfNull(complaint);
        if (complaint.Dealer != Index || _polynomial is null || complaint.Member < 1 || complaint.Member > Members)
            return null;
        return new DkgReveal(Index, complaint.Member, Group.EncodeScalar(Evaluate(_polynomial, complaint.Member)));
    }

    /// <summary>A dealer's public answer: a share that matches settles the complaint (and is this member's, when it complained); one that does not disqualifies the dealer.</summary>
    public void Revealed(DkgReveal reveal)
    {
        ArgumentNullException.ThrowIfNull(reveal);
        if (!_open.Contains((reveal.Dealer, reveal.Member)))
            return;
        if (Group.DecodeScalar(reveal.Share) is { } share && Matches(reveal.Dealer, reveal.Member, share))
        {
            _open.Remove((reveal.Dealer, reveal.Member));
            if (reveal.Member == Index)
                _shares[reveal.Dealer] = share;
        }
        else
        {
            _disqualified.Add(reveal.Dealer);
        }
    }

    /// <summary>
    /// The qualified dealers (a well-formed dealing, no complaint left open, never caught with a wrong
    /// share), the key and this member's share; null when fewer than t dealers qualify.
    /// </summary>
    public DkgResult? Finish()
    {
        var qualified = _commitments.Keys.Where(d => !_disqualified.Contains(d) && !_open.Any(c => c.Dealer == d)).Order().ToList();
        if (qualified.Count < Threshold)
            return null;
        // The joint polynomial's commitments: A_k = Σ over qualified dealers of C_{i,k}.
        var joint = Enumerable.Range(0, Threshold).Select(k => qualified.Aggregate(Group.Curve.Infinity, (sum, d) => sum.Add(_commitments[d][k])).Normalize()).ToList();
        if (joint[0].IsInfinity)
            return null; // constant terms that cancel: a key nobody can use (only colluding dealers could arrange it, and the proofs of knowledge rule it out)
        var members = Enumerable.Range(1, Members).ToList();
        var verification = members.Select(j => Group.Encode(Group.EvaluateInExponent(joint, Group.Index(j)))).ToList();
        var key = new ThresholdKey(Group.Encode(joint[0]), Threshold, members, verification);
        KeyShare? share = null;
        if (qualified.All(_shares.ContainsKey))
            share = new KeyShare(Index, Group.EncodeScalar(qualified.Aggregate(BigInteger.Zero, (sum, d) => sum.Add(_shares[d])).Mod(Group.N)));
        return new DkgResult(qualified, key, share);
    }

    private bool Matches(int dealer, int member, BigInteger share) =>
        Group.Base(share).Equals(Group.EvaluateInExponent(_commitments[dealer], Group.Index(member)));

    private byte[] ProofMessage(int dealer) => [.. _context, (byte)(dealer >> 8), (byte)dealer];

    private static BigInteger Evaluate(BigInteger[] polynomial, int x)
    {
        var point = Group.Index(x);
        var result = polynomial[^1];
        for (var k = polynomial.Length - 2; k >= 0; k--)
            result = result.Multiply(point).Add(polynomial[k]).Mod(Group.N);
        return result;
    }
}
