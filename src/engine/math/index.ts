export { add, equals, fraction, multiply, one, toDecimal, toNumber, zero, type Fraction } from "./fraction.js";
