/** The local Distributed Map reads CSV items by the rules the Step Functions guide documents. */
import { csvRowsAsItems, parseStepFunctionsCsv } from '../../local/runner/step-functions-csv';

const read = (text: string, delimiter = ','): string[][] => parseStepFunctionsCsv(text, delimiter);

describe('the local CSV ItemReader, as Step Functions parses CSV', () => {
  test("reads the guide's example: quoted commas, newline and doubled quotes, doubled quotes unquoted", () => {
    const text =
      'abc,123,"This string contains commas, a double quotation marks (""), and a newline (\n)",' +
      '{""MyKey"":""MyValue""},"[1,2,3]"\n';
    expect(read(text)).toEqual([
      [
        'abc',
        '123',
        'This string contains commas, a double quotation marks ("), and a newline (\n)',
        '{"MyKey":"MyValue"}',
        '[1,2,3]',
      ],
    ]);
  });

  test('a backslash escapes the delimiter, a quote or a backslash, and the character is text', () => {
    expect(read('a\\,b,c\n')).toEqual([['a,b', 'c']]);
    expect(read('path,size\nC:\\\\Program Files\\\\MyApp.exe,6534512\n')).toEqual([
      ['path', 'size'],
      ['C:\\Program Files\\MyApp.exe', '6534512'],
    ]);
    expect(read('\\"x\\",y\n')).toEqual([['"x"', 'y']]);
    expect(read('a\\|b|c\n', '|')).toEqual([['a|b', 'c']]);
  });

  test('a backslash before any other character is silently removed', () => {
    expect(read('-\\n-:search_id:1\\n,x\n')).toEqual([['-n-:search_id:1n', 'x']]);
    expect(read('a\\,b\\;c\n', ';')).toEqual([['a,b;c']]);
  });

  test('a short row gets empty strings, a long row loses its extra fields', () => {
    const [header, ...rows] = read('a,b,c\n1\n1,2,3,4,5\n') as [string[], ...string[][]];
    expect(csvRowsAsItems(header, rows)).toEqual([
      { a: '1', b: '', c: '' },
      { a: '1', b: '2', c: '3' },
    ]);
  });

  test('records end at LF or CRLF, the last one with or without a line break', () => {
    expect(read('a,b\r\n1,2\n3,4')).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
  });
});
