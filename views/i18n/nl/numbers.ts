export const numbers: Record<string, string> = {
  'number.empty': 'Vul een getal in.',
  'number.not_a_number': '"{value}" is geen getal. Schrijf bijvoorbeeld 12500 of 12.500,50.',
  'number.too_long': 'Dit getal is te lang.',
  'number.not_integer': 'Vul een heel getal in, zonder decimalen.',
  'number.too_many_decimals': 'Een bedrag heeft hoogstens {max} cijfers achter de komma.',
};
