using Cascoin.L2.Primitives;
using Cascoin.L2.Crypto;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Contracts;

/// <summary>The registry contract: deploys chains, keeps their status in step with their sequencers, and records each epoch's encryption key (<see cref="EpochKeys"/>).</summary>
public sealed class Registry : ISystemContract
{
    private Registry()
    {
    }

    /// <summary>The contract as a unit of <see cref="SystemContracts"/>.</summary>
    public static Registry Contract { get; } = new();

    public Address Address => SystemAddresses.Registry;

    public IReadOnlyList<L1TransactionKind> Kinds { get; } = [L1TransactionKind.DeployChain, L1TransactionKind.CommitEpochKey];

    public L1Refusal? Apply(ContractContext context, L1Call request, out string? delivered)
    {
        delivered = null;
        return request switch
        {
            DeployChainCall deploy => Deploy(context, deploy),
            EpochKeyCall key => EpochKeys.Commit(context, key),
            _ => throw new ArgumentException($"not a registry request: {request.Kind}", nameof(request)),
        };
    }

    public const ulong MinBlockTimeMs = 10;
    public const ulong MaxBlockTimeMs = 60_000;
    public const ulong MinGasLimit = 1_000_000;

    /// <summary>
    /// The largest block gas limit: a full block must fit one anchor, or a sequencer could never post it
    /// and the chain would run into emergency mode. Calldata costs 16 gas a byte, so a block of 30 M gas
    /// carries at most about 1.86 MB of incompressible data (14 transactions of 128 KiB and a smaller
    /// one), under the 2 MiB an L1 transaction carries with room for the headers and certificate.
    /// </summary>
    public const ulong MaxGasLimit = 30_000_000;

    /// <summary>The chain id of a deploy transaction: the first 8 bytes (little-endian) of SHA-256d of its id.</summary>
    public static ulong ChainIdOf(Primitives.Hash256 deployTransaction)
    {
        var hash = Hashes.Sha256d(deployTransaction.ToArray());
        return BitConverter.ToUInt64(hash, 0);
    }

    public static L1Refusal? Deploy(ContractContext context, DeployChainCall call)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(call);
        if (call.Name.Length == 0 || call.Name.Any(char.IsControl))
            return new L1Refusal(L1RefuseReason.BadParameter, "the chain name must be 1..64 printable characters");
        if (call.BlockTimeMs is < MinBlockTimeMs or > MaxBlockTimeMs)
            return new L1Refusal(L1RefuseReason.BadParameter, $"block time must be {MinBlockTimeMs}..{MaxBlockTimeMs} ms");
        if (call.GasLimit is < MinGasLimit or > MaxGasLimit)
            return new L1Refusal(L1RefuseReason.BadParameter, $"gas limit must be {MinGasLimit}..{MaxGasLimit} (a full block must fit one anchor's batch data)");
        if (call.ChallengePeriod == 0)
            return new L1Refusal(L1RefuseReason.BadParameter, "the challenge period must be at least one L1 block");
        if (context.Parameters.LongestGame(call.GasLimit) is var longest && call.ChallengePeriod < longest)
            return new L1Refusal(L1RefuseReason.BadParameter,
                $"the challenge period must hold the longest fraud-proof game: {longest} L1 blocks at gas limit {call.GasLimit} (got {call.ChallengePeriod})");
        if (!Enum.IsDefined(call.Encryption))
            return new L1Refusal(L1RefuseReason.BadParameter, $"unknown encryption policy {(byte)call.Encryption} (0 off, 1 optional, 2 required)");
        if (call.Stake < context.Parameters.MinimumSequencerStake)
            return new L1Refusal(L1RefuseReason.BadParameter, $"deploying needs a stake of at least {context.Parameters.MinimumSequencerStake} CAS");
        var chainId = ChainIdOf(context.TransactionId);
        if (chainId == 0 || context.State.GetChain(chainId) is not null)
            return new L1Refusal(L1RefuseReason.ChainIdTaken, $"chain id {chainId} is taken; deploy again (another nonce gives another id)");
        if (!context.TryDebitSender(call.Stake))
            return new L1Refusal(L1RefuseReason.InsufficientBalance, "insufficient balance for the stake");
        var chain = new ChainRecord
        {
            ChainId = chainId,
            Name = call.Name,
            Deployer = context.Sender,
            BlockTimeMs = call.BlockTimeMs,
            GasLimit = call.GasLimit,
            ChallengePeriod = call.ChallengePeriod,
            Encryption = call.Encryption,
            DeployHeight = context.Height,
            LastAnchorHeight = context.Height,
            DayStart = context.Height / context.Parameters.BlocksPerDay * context.Parameters.BlocksPerDay,
            Stakers = [context.Sender],
        };
        context.State.SetStake(chainId, context.Sender, new StakeRecord(call.Stake, Primitives.Amount.Zero, 0));
        context.State.AddChainId(chainId);
        context.State.SetChain(UpdateStatus(context, chain));
        return null;
    }

    /// <summary>
    /// Bootstrapping → active once <see cref="SettlementParameters.MinimumActiveSequencers"/> sequencers
    /// are eligible (the emergency clock starts then); active → bootstrapping when none is left. An
    /// active chain that falls below the minimum but keeps one sequencer stays active: halting it would
    /// lock its users' funds with no emergency clock running.
    /// </summary>
    public static ChainRecord UpdateStatus(ContractContext context, ChainRecord chain)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(chain);
        var eligible = context.EligibleSequencers(chain).Count;
        return chain.Status switch
        {
            ChainStatus.Bootstrapping when eligible >= context.Parameters.MinimumActiveSequencers => chain with { Status = ChainStatus.Active, LastAnchorHeight = context.Height },
            ChainStatus.Active when eligible == 0 => chain with { Status = ChainStatus.Bootstrapping },
            _ => chain,
        };
    }

    /// <summary>After a reputation change: every chain the subject stakes on may change status.</summary>
    public static void OnReputationChanged(ContractContext context, Primitives.Address subject)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var chainId in context.State.GetChainIds())
        {
            var chain = context.State.GetChain(chainId)!;
            if (chain.Stakers.Contains(subject))
                context.State.SetChain(UpdateStatus(context, chain));
        }
    }
}
