using Org.BouncyCastle.Math;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;

namespace Cascoin.L2.Crypto.Threshold;

/// <summary>The outcome of a DKG for one member: the qualified dealers, the epoch key, and this member's share of it (null only for a member that lacks a qualified dealer's share, which an honest member never does).</summary>
public sealed record DkgResult(IReadOnlyList<int> Qualified, ThresholdKey Key, KeyShare? Share);

/// <summary>
/// One member's side of a distributed key generation with no dealer: the "secure DKG" of Gennaro,
/// Jarecki, Krawczyk and Rabin (doc/encrypted-mempool.md), whose key no coalition below the threshold
/// can bias. Two phases:
/// <list type="number">
/// <item>Pedersen: every member deals (<see cref="Deal"/>) commitments E_k = a_k·G + b_k·H, which
/// hide its polynomial, and sealed share pairs; each member checks its pair and complains publicly
/// when it fails (<see cref="Receive"/>); a dealer answers each complaint by revealing that pair
/// (<see cref="Answer"/>), which everyone checks (<see cref="Revealed"/>). The qualified set QUAL is
/// fixed here: the dealers with a well-formed dealing and every complaint answered with a valid pair.
/// The key is then fixed too, though nobody can compute it yet.</item>
/// <item>Exposure: each qualified dealer broadcasts A_k = a_k·G (<see cref="Expose"/>); each member
/// checks its share against them and, when it fails, publishes its pair as proof
/// (<see cref="ReceiveExposure"/>, <see cref="ExposureComplained"/>). A dealer with no exposure or a
/// proven false one has its polynomial rebuilt in public from t members' pairs
/// (<see cref="Reconstruction"/>, <see cref="Reconstructed"/>). Either way its contribution is the
/// one its Pedersen commitments fixed, so misbehaving in this phase changes nothing.</item>
/// </list>
/// The key is Σ a_{i,0}·G over QUAL and each member's share Σ f_i(j). Members who saw the same
/// broadcasts (the network fixes them with a record signed by more than 2/3) reach the same key.
/// </summary>
public sealed class DkgSession
{
    private readonly byte[] _context;
    private readonly List<ECPoint> _memberKeys;
    private readonly BigInteger _secret;
    private readonly Dictionary<int, IReadOnlyList<ECPoint>> _pedersen = [];
    private readonly Dictionary<int, SharePair> _pairs = [];
    private readonly HashSet<int> _disqualified = [];
    private readonly HashSet<(int Dealer, int Member)> _open = [];
    private readonly Dictionary<int, IReadOnlyList<ECPoint>> _exposed = [];
    private readonly HashSet<int> _falseExposure = [];
    private readonly Dictionary<int, Dictionary<int, BigInteger>> _rebuilt = [];
    private BigInteger[]? _polynomial;
    private BigInteger[]? _blinding;

    /// <param name="context">What binds this run: chain, epoch and member set (a dealing of another run does not open here).</param>
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

    /// <summary>This member's dealing (once per run: the polynomials are kept to answer complaints and to expose).</summary>
    public DkgDealing Deal()
    {
        if (_polynomial is not null)
            throw new InvalidOperationException("this member has dealt already");
        _polynomial = Enumerable.Range(0, Threshold).Select(_ => Group.RandomScalar()).ToArray();
        _blinding = Enumerable.Range(0, Threshold).Select(_ => Group.RandomScalar()).ToArray();
        var commitments = _polynomial.Zip(_blinding, (a, b) => Group.Encode(Group.Base(a).Add(Group.Multiply(Group.H, b)))).ToList();
        var shares = Enumerable.Range(1, Members).Select(j => ShareBox.Seal(PairFor(j), _memberKeys[j - 1], _context, Index, j)).ToList();
        return new DkgDealing(Index, commitments, shares);
    }

    /// <summary>
    /// Takes a dealing: a malformed one (wrong sizes, a commitment off the curve) disqualifies its
    /// dealer, as every member sees the same; a well-formed one whose pair for this member does not
    /// open or match gives the complaint to broadcast. The first dealing of a dealer counts.
    /// </summary>
    public DkgComplaint? Receive(DkgDealing dealing)
    {
        ArgumentNullException.ThrowIfNull(dealing);
        if (!IsMember(dealing.Dealer) || _pedersen.ContainsKey(dealing.Dealer) || _disqualified.Contains(dealing.Dealer))
            return null;
        if (Points(dealing.Commitments) is not { } commitments || dealing.Shares.Count != Members)
        {
            _disqualified.Add(dealing.Dealer);
            return null;
        }
        _pedersen[dealing.Dealer] = commitments;
        if (ShareBox.Open(dealing.Shares[Index - 1], _secret, _context, dealing.Dealer, Index) is { } pair && pair.Matches(commitments, Index))
        {
            _pairs[dealing.Dealer] = pair;
            return null;
        }
        return new DkgComplaint(dealing.Dealer, Index);
    }

    /// <summary>Records a complaint any member broadcast: its dealer stays unqualified until it reveals a valid pair.</summary>
    public void Complained(DkgComplaint complaint)
    {
        ArgumentNullException.ThrowIfNull(complaint);
        if (IsMember(complaint.Member) && _pedersen.ContainsKey(complaint.Dealer))
            _open.Add((complaint.Dealer, complaint.Member));
    }

    /// <summary>This member's answer to a complaint against its own dealing: the pair, revealed.</summary>
    public DkgReveal? Answer(DkgComplaint complaint)
    {
        ArgumentNullException.ThrowIfNull(complaint);
        return complaint.Dealer == Index && _polynomial is not null && IsMember(complaint.Member)
            ? new DkgReveal(Index, complaint.Member, PairFor(complaint.Member).ToBytes())
            : null;
    }

    /// <summary>A dealer's public answer: a pair that matches settles the complaint (and is this member's, when it complained); one that does not disqualifies the dealer.</summary>
    public void Revealed(DkgReveal reveal)
    {
        ArgumentNullException.ThrowIfNull(reveal);
        if (!_open.Contains((reveal.Dealer, reveal.Member)))
            return;
        if (SharePair.Decode(reveal.Share) is { } pair && pair.Matches(_pedersen[reveal.Dealer], reveal.Member))
        {
            _open.Remove((reveal.Dealer, reveal.Member));
            if (reveal.Member == Index)
                _pairs[reveal.Dealer] = pair;
        }
        else
        {
            _disqualified.Add(reveal.Dealer);
        }
    }

    /// <summary>The qualified dealers, fixed at the end of the Pedersen phase: a well-formed dealing, no complaint left open, never caught with a wrong pair.</summary>
    public IReadOnlyList<int> Qualified => _pedersen.Keys.Where(d => !_disqualified.Contains(d) && !_open.Any(c => c.Dealer == d)).Order().ToList();

    /// <summary>This member's exposure, when it is a qualified dealer (call once the Pedersen phase is over).</summary>
    public DkgExposure? Expose() =>
        _polynomial is not null && Qualified.Contains(Index) ? new DkgExposure(Index, _polynomial.Select(a => Group.Encode(Group.Base(a))).ToList()) : null;

    /// <summary>
    /// Takes a qualified dealer's exposure (the first counts); when this member's share does not match
    /// it, the complaint to broadcast, with the pair as proof. A malformed exposure counts as none.
    /// </summary>
    public DkgExposureComplaint? ReceiveExposure(DkgExposure exposure)
    {
        ArgumentNullException.ThrowIfNull(exposure);
        if (!Qualified.Contains(exposure.Dealer) || _exposed.ContainsKey(exposure.Dealer) || Points(exposure.Commitments) is not { } commitments)
            return null;
        _exposed[exposure.Dealer] = commitments;
        return _pairs.TryGetValue(exposure.Dealer, out var pair) && !FeldmanMatches(commitments, Index, pair.Value)
            ? new DkgExposureComplaint(exposure.Dealer, Index, pair.ToBytes())
            : null;
    }

    /// <summary>A member's proof that an exposure is false: true when its pair matches the Pedersen commitments and not the exposure; the dealer is then rebuilt.</summary>
    public void ExposureComplained(DkgExposureComplaint complaint)
    {
        ArgumentNullException.ThrowIfNull(complaint);
        if (_exposed.TryGetValue(complaint.Dealer, out var exposure) && IsMember(complaint.Member) && SharePair.Decode(complaint.Share) is { } pair
            && pair.Matches(_pedersen[complaint.Dealer], complaint.Member) && !FeldmanMatches(exposure, complaint.Member, pair.Value))
            _falseExposure.Add(complaint.Dealer);
    }

    /// <summary>The qualified dealers whose polynomials must be rebuilt in public: no exposure came, or a false one was proven.</summary>
    public IReadOnlyList<int> ToRebuild => Qualified.Where(d => !_exposed.ContainsKey(d) || _falseExposure.Contains(d)).ToList();

    /// <summary>This member's pair from <paramref name="dealer"/>, to publish for rebuilding it.</summary>
    public DkgReconstruction? Reconstruction(int dealer) =>
        ToRebuild.Contains(dealer) && _pairs.TryGetValue(dealer, out var pair) ? new DkgReconstruction(dealer, Index, pair.ToBytes()) : null;

    /// <summary>A member's published pair for rebuilding a dealer: kept when it matches the dealer's Pedersen commitments.</summary>
    public void Reconstructed(DkgReconstruction reconstruction)
    {
        ArgumentNullException.ThrowIfNull(reconstruction);
        if (_pedersen.TryGetValue(reconstruction.Dealer, out var commitments) && IsMember(reconstruction.Member)
            && SharePair.Decode(reconstruction.Share) is { } pair && pair.Matches(commitments, reconstruction.Member))
        {
            if (!_rebuilt.TryGetValue(reconstruction.Dealer, out var shares))
                _rebuilt[reconstruction.Dealer] = shares = [];
            shares.TryAdd(reconstruction.Member, pair.Value);
        }
    }

    /// <summary>
    /// The qualified dealers, the key and this member's share; null when fewer than t dealers qualify,
    /// or a dealer to rebuild has fewer than t published pairs yet.
    /// </summary>
    public DkgResult? Finish()
    {
        var qualified = Qualified;
        if (qualified.Count < Threshold)
            return null;
        var members = Enumerable.Range(1, Members).ToList();
        var rebuild = ToRebuild;
        // Each qualified dealer's contribution at x = 0..n: from its exposure, or rebuilt from t pairs.
        var exposed = qualified.Except(rebuild).ToList();
        var joint = Enumerable.Range(0, Threshold).Select(k => exposed.Aggregate(Group.Curve.Infinity, (sum, d) => sum.Add(_exposed[d][k])).Normalize()).ToList();
        var points = Enumerable.Range(0, Members + 1).Select(x => x == 0 ? joint[0] : Group.EvaluateInExponent(joint, Group.Index(x))).ToArray();
        foreach (var dealer in rebuild)
        {
            if (!_rebuilt.TryGetValue(dealer, out var shares) || shares.Count < Threshold)
                return null;
            var basis = shares.Keys.Order().Take(Threshold).ToList();
            for (var x = 0; x <= Members; x++)
                points[x] = points[x].Add(Group.Base(Interpolate(shares, basis, x))).Normalize();
        }
        if (points[0].IsInfinity)
            return null; // constant terms that cancel: a key nobody can use (negligible unless dealers collude, and Pedersen hiding rules that out)
        var key = new ThresholdKey(Group.Encode(points[0]), Threshold, members, members.Select(j => Group.Encode(points[j])).ToList());
        KeyShare? share = null;
        if (qualified.All(_pairs.ContainsKey))
            share = new KeyShare(Index, Group.EncodeScalar(qualified.Aggregate(BigInteger.Zero, (sum, d) => sum.Add(_pairs[d].Value)).Mod(Group.N)));
        return new DkgResult(qualified, key, share);
    }

    /// <summary>This member's own a_0·G (tests check the key is the sum of the qualified dealers' ones, whatever happened in the exposure phase).</summary>
    internal ECPoint? ConstantTerm => _polynomial is null ? null : Group.Base(_polynomial[0]);

    private bool IsMember(int index) => index >= 1 && index <= Members;

    private List<ECPoint>? Points(IReadOnlyList<byte[]> encoded)
    {
        if (encoded.Count != Threshold)
            return null;
        var points = new List<ECPoint>(encoded.Count);
        foreach (var bytes in encoded)
        {
            if (Group.Decode(bytes) is not { } point)
                return null;
            points.Add(point);
        }
        return points;
    }

    private static bool FeldmanMatches(IReadOnlyList<ECPoint> commitments, int member, BigInteger value) =>
        Group.Base(value).Equals(Group.EvaluateInExponent(commitments, Group.Index(member)));

    private SharePair PairFor(int member) => new(Evaluate(_polynomial!, member), Evaluate(_blinding!, member));

    /// <summary>f(x) from the values at <paramref name="basis"/> (t members), by Lagrange.</summary>
    private static BigInteger Interpolate(Dictionary<int, BigInteger> shares, List<int> basis, int x) =>
        basis.Aggregate(BigInteger.Zero, (sum, i) => sum.Add(shares[i].Multiply(Group.LagrangeAt(x, i, basis)))).Mod(Group.N);

    private static BigInteger Evaluate(BigInteger[] polynomial, int x)
    {
        var point = Group.Index(x);
        var result = polynomial[^1];
        for (var k = polynomial.Length - 2; k >= 0; k--)
            result = result.Multiply(point).Add(polynomial[k]).Mod(Group.N);
        return result;
    }
}
