export { createWallet, systemOwners, walletDefaults, type Wallet, type WalletOptions } from "./wallet.js";
export type * from "./wallet.types.js";
