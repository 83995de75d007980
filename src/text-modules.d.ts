/** Data files imported as text (`with { type: "text" }`), as Bun loads them. */
declare module "*.csv" {
  const text: string;
  export default text;
}
