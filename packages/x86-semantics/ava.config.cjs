module.exports = require('../../tools/ava-config.cjs')('fast');
