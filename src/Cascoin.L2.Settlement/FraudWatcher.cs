using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Execution.Steps;
using Cascoin.L2.Crypto;
using Cascoin.L2.DataAvailability.Batches;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Application;
using Cascoin.L2.Settlement.Contracts;
using Cascoin.L2.Settlement.Contracts.Fraud;
using Cascoin.L2.Settlement.L1;
using Cascoin.L2.State.Smt;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Settlement;

/// <summary>
/// The watcher (doc/fraud-proofs.md): after every L1 block it checks each anchor still in its challenge
/// period against this node's own execution — every block of the anchored batch, from the node's state
/// at the block's parent — and, when challenging is on, opens a game on the first block whose signed
/// root is not the one its steps reach. It then plays every game it is part of, as challenger (naming
/// the first part whose end is not the truth, proving the last step) or as a signer of the disputed
/// anchor (cutting with its own honest commitments). Games live on L1, so a restarted node picks its
/// games up from there; the moves are recomputed from its own state.
/// </summary>
public sealed class FraudWatcher
{
    private readonly L1Chain _l1;
    private readonly L2Blockchain _l2;
    private readonly SparseMerkleTree _tree;
    private readonly PrivateKey _key;
    private readonly Address _address;
    private readonly NetworkParameters _network;
    private readonly BatchQueries _batches;
    private readonly ILogger _logger;
    private readonly Dictionary<(ulong Anchor, ulong Block, Hash256 Last), (DisputedBlock? Disputed, BlockSteps? Steps)> _steps = [];
    private readonly HashSet<(ulong Anchor, Hash256 Last)> _checked = [];
    private readonly HashSet<string> _sent = [];

    public FraudWatcher(L1Chain l1, L2Blockchain l2, SparseMerkleTree tree, PrivateKey key, NetworkParameters network, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(key);
        _l1 = l1;
        _l2 = l2;
        _tree = tree;
        _key = key;
        _address = Address.FromPublicKey(key.PublicKey.AsSpan());
        _network = network;
        _batches = new BatchQueries(l1);
        _logger = logger;
    }

    /// <summary>-l2challenge: open games on anchors whose roots this node's execution does not reach (it bonds and pays the fees).</summary>
    public bool Challenge { get; init; }

    private ulong ChainId => _l2.Parameters.ChainId;

    /// <summary>Raised for each anchor whose signed root this node's execution does not reach: the anchor's index, the L2 block, what is wrong.</summary>
    public event Action<ulong, ulong, string>? FraudFound;

    /// <summary>Checks new anchors and plays this node's games; call after every L1 change.</summary>
    public void OnL1Block()
    {
        var state = _l1.StateAtTip();
        if (state.GetChain(ChainId) is not { } chain)
            return;
        CheckAnchors(state, chain);
        PlayGames(state, chain);
    }

    private ContractContext Context(L1StateView state) =>
        new(state, _l1.Parameters, _l1.Height + 1, _address, Hash256.Zero) { History = _l1, Network = _network };

    private void CheckAnchors(L1StateView state, ChainRecord chain)
    {
        for (var index = chain.AnchorCount; index > 0; index--)
        {
            var anchor = state.GetAnchor(ChainId, index - 1)!;
            if (anchor.IsFinalAt(_l1.Height + 1, chain.ChallengePeriod))
                break;
            if (!_checked.Add((anchor.Index, anchor.LastBlockHash)))
                continue;
            if (FirstWrongBlock(state, chain, anchor) is not { } wrong)
                continue;
            var signedRoot = wrong.Call.Evidence.Headers.First(h => h.Number == wrong.Call.Block).StateRoot.ToHex();
            if (wrong.Steps.Refusal is { } refusal)
                _logger.LogCritical("FRAUD: anchor {Index} signs L2 block {Block} (state root {Root}), which holds a transaction the chain refuses: {Refusal}",
                    anchor.Index, wrong.Call.Block, signedRoot, refusal);
            else
                _logger.LogCritical("FRAUD: anchor {Index} signs L2 block {Block} with state root {Root}, which this node's execution of the block does not reach",
                    anchor.Index, wrong.Call.Block, signedRoot);
            FraudFound?.Invoke(anchor.Index, wrong.Call.Block, wrong.Steps.Refusal is { } why ? $"it holds a transaction the chain refuses: {why}" : $"signed state root {signedRoot}");
            if (!Challenge)
                continue;
            if (FraudVerifier.OpenOf(state, ChainId).Open.Any(g => g.AnchorIndex == anchor.Index && FraudVerifier.GetGame(state, ChainId, g.Id)!.Challenger == _address))
                continue;
            Send(wrong.Call, $"challenge of anchor {anchor.Index} at L2 block {wrong.Call.Block}");
        }
    }

    /// <summary>The first block of <paramref name="anchor"/>'s batch whose signed root this node's steps do not reach, with the challenge that names it; null when all check.</summary>
    private (ChallengeCall Call, BlockSteps Steps)? FirstWrongBlock(L1StateView state, ChainRecord chain, AnchorRecord anchor)
    {
        if (_batches.Batch(ChainId, anchor.Index) is not { Error: null } found)
            return null;
        var (blocks, _) = BatchPackage.Open(ChainId, found.Value.Call.Data, found.Value.Call.Headers, found.Value.Call.Certificate);
        if (blocks is null)
            return null;
        foreach (var block in blocks)
        {
            if (_l2.GetHeader(block.Number) is { } own && own.Hash == block.Hash)
                continue; // this node has the block itself: its execution agreed
            if (_l2.GetHeader(block.Number - 1) is not { } parent || parent.Hash != block.Header.ParentHash)
                return null; // the batch is not built on this node's chain: nothing to prove from its state
            var call = ChallengeOf(anchor, block, found.Value.Call.Headers);
            var (disputed, steps) = StepsOf(state, chain, anchor, call, block);
            return disputed is not null && steps is not null && steps.Commitments[^1] != disputed.ClaimedEnd ? (call, steps) : null;
        }
        return null;
    }

    /// <summary>The challenge of <paramref name="block"/>: the headers from before it (this node's, which the block chains to) up to the anchor's last (the batch's).</summary>
    private ChallengeCall ChallengeOf(AnchorRecord anchor, Block block, IReadOnlyList<BlockHeader> batchHeaders)
    {
        var first = block.Number >= 3 ? block.Number - 2 : block.Number - 1;
        var headers = new List<BlockHeader>();
        for (var n = first; n < anchor.FirstBlock; n++)
            headers.Add(_l2.GetHeader(n)!);
        headers.AddRange(batchHeaders.Where(h => h.Number >= first));
        return new ChallengeCall(ChainId, anchor.Index, block.Number, new DisputeEvidence(headers, block.ParentCommit, block.Transactions.Select(t => t.Id).ToList()));
    }

    /// <summary>
    /// The challenged block as L1 rebuilds it and this node's honest steps of it (its state at the parent,
    /// over that frame), cached per anchor and block; the steps are null when it cannot prove them.
    /// <paramref name="block"/>: the block when the caller has it from the batch already.
    /// </summary>
    private (DisputedBlock? Disputed, BlockSteps? Steps) StepsOf(L1StateView state, ChainRecord chain, AnchorRecord anchor, ChallengeCall call, Block? block = null)
    {
        var key = (anchor.Index, call.Block, anchor.LastBlockHash);
        if (_steps.TryGetValue(key, out var known))
            return known;
        var (disputed, refusal) = DisputedBlock.Rebuild(Context(state), chain, anchor, call.Block, call.Evidence);
        BlockSteps? steps = null;
        if (disputed is null)
            _logger.LogWarning("Anchor {Index}, L2 block {Block}: the block does not rebuild from L1: {Refusal}", anchor.Index, call.Block, refusal);
        else if ((block ?? BlockOf(anchor, call.Block)) is { } transactions)
        {
            try
            {
                steps = BlockSteps.Of(disputed.Frame, transactions.Transactions, _tree, call.Block - 1);
            }
            catch (InvalidOperationException ex)
            {
                _logger.LogWarning("Anchor {Index}, L2 block {Block}: this node cannot prove its steps: {Reason}", anchor.Index, call.Block, ex.Message);
            }
        }
        _steps[key] = (disputed, steps);
        return (disputed, steps);
    }

    /// <summary>Block <paramref name="number"/> as anchor <paramref name="anchor"/>'s batch on L1 holds it.</summary>
    private Block? BlockOf(AnchorRecord anchor, ulong number) =>
        _batches.Batch(ChainId, anchor.Index) is { Error: null } found
            ? BatchPackage.Open(ChainId, found.Value.Call.Data, found.Value.Call.Headers, found.Value.Call.Certificate).Blocks?.FirstOrDefault(b => b.Number == number)
            : null;

    private void PlayGames(L1StateView state, ChainRecord chain)
    {
        foreach (var (id, anchorIndex) in FraudVerifier.OpenOf(state, ChainId).Open)
        {
            var record = FraudVerifier.GetGame(state, ChainId, id)!;
            var anchor = state.GetAnchor(ChainId, anchorIndex);
            var mine = record.Challenger == _address;
            var signer = anchor?.Signers.Contains(_address) == true;
            if (anchor is null || !mine && !signer)
                continue;
            if (StepsOf(state, chain, anchor, record.ChallengeCall).Steps is not { } steps)
                continue;
            var honest = steps.Commitments;
            var game = record.Game;
            L1Call? move = game.Phase switch
            {
                GamePhase.DefenderMoves when signer => new DissectCall(ChainId, id, Enumerable.Range(1, game.Parts - 1).Select(i => honest[game.Boundary(i)]).ToList()),
                GamePhase.ChallengerMoves when mine => new ChooseStepCall(ChainId, id, (ushort)FirstDisputed(game, steps)),
                GamePhase.OneStep when mine => new ProveStepCall(ChainId, id, steps.ProofOf(game.Lo).ToBytes()),
                _ => null,
            };
            if (move is not null)
                Send(move, $"game {id} ({game.Phase}, steps {game.Lo}..{game.Hi})");
        }
    }

    /// <summary>Checks and plays after every L1 change until cancelled; a failure is logged, never fatal to the node.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var wake = System.Threading.Channels.Channel.CreateBounded<bool>(new System.Threading.Channels.BoundedChannelOptions(1)
        {
            FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite,
        });
        void OnChange(L1ChainChange change) => wake.Writer.TryWrite(true);
        _l1.Changed += OnChange;
        try
        {
            while (true)
            {
                await wake.Reader.ReadAsync(cancellationToken);
                try
                {
                    OnL1Block();
                }
                catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or DecodeException)
                {
                    _logger.LogError(ex, "Fraud proofs: the watcher failed on this L1 block; it tries again on the next");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the games stay on L1.
        }
        finally
        {
            _l1.Changed -= OnChange;
        }
    }

    /// <summary>The first part whose end is not what this node's steps reach.</summary>
    private static int FirstDisputed(DissectionGame game, BlockSteps steps)
    {
        var part = 0;
        while (part < game.Parts - 1 && game.Cuts![part] == steps.Commitments[game.Boundary(part + 1)])
            part++;
        return part;
    }

    /// <summary>
    /// Opens a game by hand (l2_submitfraudproof) on anchor <paramref name="anchorIndex"/>: on
    /// <paramref name="block"/>, or on the first block whose signed root this node's steps do not reach.
    /// Refused when this node's execution agrees with the anchor there (a challenge would lose its bond).
    /// </summary>
    public (Hash256? TransactionId, ulong Block, string? Error) ChallengeNow(ulong anchorIndex, ulong? block)
    {
        var state = _l1.StateAtTip();
        if (state.GetChain(ChainId) is not { } chain || anchorIndex >= chain.AnchorCount || state.GetAnchor(ChainId, anchorIndex) is not { } anchor)
            return (null, 0, $"chain {ChainId} has no anchor {anchorIndex}");
        if (anchor.IsFinalAt(_l1.Height + 1, chain.ChallengePeriod))
            return (null, 0, $"anchor {anchorIndex} is final: its challenge period is over");
        if (FirstWrongBlock(state, chain, anchor) is not { } wrong)
            return (null, 0, $"this node's execution reaches every state root anchor {anchorIndex} signs (or cannot prove them): a challenge would lose its bond");
        if (block is { } named && named != wrong.Call.Block)
            return (null, 0, $"the first block of anchor {anchorIndex} whose root this node disputes is {wrong.Call.Block}, not {named}: a game decides the first wrong block");
        var (id, error) = Send(wrong.Call, $"challenge of anchor {anchorIndex} at L2 block {wrong.Call.Block}");
        return (id, wrong.Call.Block, error);
    }

    /// <summary>Signs and queues <paramref name="call"/> once (a move waits in the mempool until mined; it is not sent twice): its L1 txid, or why not.</summary>
    private (Hash256? Id, string? Error) Send(L1Call call, string what)
    {
        var payload = call.ToBytes();
        if (!_sent.Add(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(payload)) + (byte)call.Kind))
            return (null, $"the {what} was sent already");
        var transaction = L1Transaction.Sign(call.Kind, _l1.PendingNonce(_address), _l1.Parameters.FeeFor(call.Kind, payload.Length), payload, _key, _network);
        if (_l1.Submit(transaction, refuseFailingCall: true) is { } refusal)
        {
            _logger.LogWarning("Fraud proofs: the {What} was refused: {Refusal}", what, refusal);
            return (null, refusal.ToString());
        }
        _logger.LogWarning("Fraud proofs: sent the {What}: L1 transaction {Id}", what, transaction.Id);
        return (transaction.Id, null);
    }
}
