export { currencies, findCurrency, type Currency } from "./currency.js";
export { amountMinorMax, formatAmount, parseAmount, type AmountError, type ParseAmountOptions } from "./amount.js";
