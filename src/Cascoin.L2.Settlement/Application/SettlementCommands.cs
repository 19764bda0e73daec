using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Contracts;
using Cascoin.L2.Settlement.L1;
using Cascoin.L2.State.Accounts;

namespace Cascoin.L2.Settlement.Application;

/// <summary>
/// What a wallet does on the settlement layer: deploy and stake as this node's sequencer, deposit,
/// withdraw and finalize, exit in emergency, force a transaction in, send and execute messages. Each
/// builds the call (with its proof against the anchored root where one is needed), signs it with a
/// wallet key and sends it; a call that would fail now is refused before it costs a fee.
/// </summary>
public sealed class SettlementCommands(L1Wallet l1Wallet, SettlementQueries queries, Address sequencer, L2Wallet? l2Wallet = null)
{
    private L1Chain L1 => l1Wallet.Chain;

    private Outcome<L2Wallet> RunningChain => l2Wallet is not null ? l2Wallet : new SettlementError(SettlementErrorKind.NoChain, "this node runs no L2 chain");

    /// <summary>Deploys a chain signed by the sequencer key, which bonds the minimum stake; the chain id follows from the txid.</summary>
    public Outcome<(ulong ChainId, Hash256 TxId)> Deploy(string name, ulong blockTimeMs, ulong gasLimit, ulong? challengePeriod, EncryptionPolicy encryption = EncryptionPolicy.Off) =>
        l1Wallet.Send(sequencer, new DeployChainCall(name, blockTimeMs, gasLimit, challengePeriod ?? L1.Parameters.DefaultChallengePeriod, L1.Parameters.MinimumSequencerStake, encryption))
            .Then(txid => Outcome.Of<(ulong, Hash256)>((Registry.ChainIdOf(txid), txid)));

    /// <summary>A transfer from <paramref name="from"/> sealed to the newest epoch key of this node's chain and added to the mempool; the envelope's id.</summary>
    public Outcome<Hash256> SendEncrypted(Address from, Address to, Amount amount) => RunningChain.Then(wallet =>
        queries.EpochKey(wallet.Chain.Parameters.ChainId).Then(key => wallet.SendSealed(from, to, amount, key)));

    public Outcome<Hash256> Stake(ulong chainId, Amount amount) => l1Wallet.Send(sequencer, new BondCall(chainId, amount));

    public Outcome<Hash256> Unstake(ulong chainId, Amount amount) => l1Wallet.Send(sequencer, new UnbondCall(chainId, amount));

    /// <summary>Locks <paramref name="amount"/> from the richest wallet address for <paramref name="recipient"/> (default: that address) on L2.</summary>
    public Outcome<Hash256> Deposit(ulong chainId, Amount amount, Address? recipient) =>
        l1Wallet.Richest(amount + L1.Parameters.MinimumFee).Then(from => l1Wallet.Send(from, new DepositCall(chainId, amount, recipient ?? from)));

    /// <summary>Burns <paramref name="amount"/> on L2 from <paramref name="from"/> (default: the richest) for <paramref name="to"/> (default: the sender) on L1.</summary>
    public Outcome<Hash256> Withdraw(Amount amount, Address? to, Address? from) => RunningChain.Then(wallet =>
        (from is { } sender ? sender : wallet.Richest()).Then(sender => wallet.Send(sender, TransactionType.Withdrawal, to ?? sender, amount, [])));

    /// <summary>Pays a final withdrawal on L1 with its proof; the recipient pays the fee when the wallet holds its key and it can.</summary>
    public Outcome<Hash256> FinalizeWithdrawal(Hash256 id) => RunningChain.Then(wallet =>
        SettlementQueries.WithdrawalRecordOf(wallet.Chain, id).Then(record => queries.RunningChainRecord().Then(chain =>
            queries.Anchored(chain, record.Block, "the withdrawal").Then(anchor =>
                SettlementQueries.ProofAt(wallet.Chain, BridgeKeys.Withdrawal(id), anchor).Then(proof =>
                    l1Wallet.FeePayer(record.Recipient).Then(payer =>
                        l1Wallet.Send(payer, new FinalizeWithdrawalCall(chain.ChainId, anchor.Index, id, record.ToBytes(), proof))))))));

    /// <summary>In emergency mode: proves <paramref name="owner"/>'s (default: the richest) L2 account against the exit root and pays it on L1.</summary>
    public Outcome<Hash256> EmergencyWithdraw(Address? owner) => RunningChain.Then(wallet => queries.RunningChainRecord().Then(chain =>
        (owner is { } given ? given : wallet.Richest()).Then(account =>
        {
            if (chain.Status != ChainStatus.Emergency)
                return new SettlementError(SettlementErrorKind.NotReady,
                    $"chain {chain.ChainId} is not in emergency mode ({chain.Status.ToString().ToLowerInvariant()}): withdraw with l2_withdraw");
            if (Anchors.EmergencyRoot(L1.StateAtTip(), chain) is not { } anchor)
                return new SettlementError(SettlementErrorKind.NotReady, "no anchor was final when the chain entered emergency mode: there is no root to prove a balance against");
            return SettlementQueries.ProofAt(wallet.Chain, StateKeys.ForAccount(account), anchor).Then(proof =>
                l1Wallet.Send(account, new EmergencyWithdrawCall(chain.ChainId, wallet.Chain.GetAccountAt(account, anchor.StateRoot).ToBytes(), proof)));
        })));

    /// <summary>Posts a signed L2 transaction on L1 for forced inclusion, paid by the richest wallet address.</summary>
    public Outcome<Hash256> ForceInclude(Transaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return l1Wallet.SendFromRichest(new ForceIncludeCall(transaction.ChainId, transaction.ToBytes()));
    }

    /// <summary>Queues a message on L1 for <paramref name="target"/> on this node's L2, sent by <paramref name="from"/> (default: the richest on L1).</summary>
    public Outcome<Hash256> SendMessageToL2(Address target, byte[] data, Address? from) => queries.RunningChain.Then(chain =>
        (from is { } sender ? sender : l1Wallet.Richest(L1.Parameters.MinimumFee)).Then(sender =>
            l1Wallet.Send(sender, new SendMessageCall(chain.Parameters.ChainId, target, data))));

    /// <summary>From now on the L1 score of <paramref name="address"/> (a wallet key, which pays the L1 fee) flows to chain <paramref name="chainId"/> (default: this node's).</summary>
    public Outcome<Hash256> ImportReputation(Address address, ulong? chainId) =>
        (chainId is { } id ? Outcome.Of(id) : queries.RunningChain.Then(chain => Outcome.Of(chain.Parameters.ChainId))).Then(id =>
            l1Wallet.Send(address, new ImportReputationCall(id)));

    /// <summary>
    /// This node's share of a circuit-breaker call for its chain: a signature by <paramref name="signer"/>
    /// (default: the sequencer key) over the pause or unpause at the chain's current pause counter.
    /// </summary>
    public Outcome<BridgePauseSignature> SignBridgePause(bool pause, Address? signer) => queries.RunningChainRecord().Then(chain =>
    {
        var nonce = CircuitBreaker.NonceOf(L1.StateAtTip(), chain.ChainId);
        var from = signer ?? sequencer;
        return l1Wallet.KeyOf(from).Then(key => Outcome.Of(new BridgePauseSignature(chain.ChainId, pause, nonce, from,
            key.SignRecoverable(BridgePauseCall.DigestOf(chain.ChainId, pause, nonce).ToArray()).ToArray())));
    });

    /// <summary>Submits a circuit-breaker call for this node's chain with the collected <paramref name="signatures"/> (paid by the richest wallet address).</summary>
    public Outcome<Hash256> SetBridgePause(bool pause, IReadOnlyList<byte[]> signatures) => queries.RunningChainRecord().Then(chain =>
        l1Wallet.SendFromRichest(new BridgePauseCall(chain.ChainId, pause, CircuitBreaker.NonceOf(L1.StateAtTip(), chain.ChainId), signatures)));

    /// <summary>Sends a message from L2 for <paramref name="target"/> on L1, executable once its batch is final.</summary>
    public Outcome<Hash256> SendMessageToL1(Address target, byte[] data, Address? from) => RunningChain.Then(wallet =>
        (from is { } sender ? sender : wallet.Richest()).Then(sender => wallet.Send(sender, TransactionType.L2ToL1Message, target, Amount.Zero, data)));

    /// <summary>Executes a final L2→L1 message on L1 with its proof.</summary>
    public Outcome<Hash256> ExecuteMessage(Hash256 id) => RunningChain.Then(wallet =>
        SettlementQueries.MessageRecordOf(wallet.Chain, id).Then(found => queries.RunningChainRecord().Then(chain =>
            queries.Anchored(chain, found.Record.Block, "the message").Then(anchor =>
                SettlementQueries.ProofAt(wallet.Chain, BridgeKeys.Message(id), anchor).Then(proof =>
                    l1Wallet.SendFromRichest(new ExecuteMessageCall(chain.ChainId, anchor.Index, id, found.Bytes, proof)))))));
}

/// <summary>One sequencer's signature of a circuit-breaker call: what <c>l2_setbridgepause</c> collects.</summary>
public sealed record BridgePauseSignature(ulong ChainId, bool Pause, ulong Nonce, Address Signer, byte[] Signature);
