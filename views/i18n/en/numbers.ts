export const numbers: Record<string, string> = {
  'number.empty': 'Enter a number.',
  'number.not_a_number': '"{value}" is not a number. Write for example 12500 or 12.500,50.',
  'number.too_long': 'This number is too long.',
  'number.not_integer': 'Enter a whole number, without decimals.',
  'number.too_many_decimals': 'An amount has at most {max} digits after the decimal comma.',
};
